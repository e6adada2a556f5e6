import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { routerMetrics } from '../router.metrics';

/** How long shutdown waits for dedupe markers still being written. */
const SHUTDOWN_DRAIN_MS = 10_000;

/**
 * Dedupe markers written behind the batch instead of inside it. A batch's markers are sent once its
 * deliveries are acknowledged, but the router reads on without waiting for them: the partition is
 * committed no further than the batch's first offset until they are acknowledged, then up to its end.
 * The partition's next batch waits for them before it returns, so commits never move backwards.
 *
 * A crash before the markers land therefore reads the batch again, and its deterministic delivery
 * ids collapse the replay; a marker never exists for deliveries that were not written.
 */
@Injectable()
export class MarkerTrail implements BeforeApplicationShutdown {
  private readonly log = new Logger(MarkerTrail.name);
  private readonly pending = new Map<string, Promise<void>>();
  private readonly commits = new Set<Promise<unknown>>();
  private draining = false;

  /** False once shutdown began: the last batches then write their markers before they return. */
  get trailing(): boolean {
    return !this.draining;
  }

  /** Resolves once the partition's earlier markers are acknowledged (or given up); never rejects. */
  settled(topic: string, partition: number): Promise<void> {
    return this.pending.get(`${topic}:${partition}`) ?? Promise.resolve();
  }

  /**
   * Follows markers being written for one batch; `then` (the partition's background commit) is issued
   * once they are acknowledged, and the partition counts as settled from then on. The commit is not
   * awaited: the next batch's own commit only has to go out after it, and a commit held up by a
   * rebalance must not hold the partition's reading. A marker failure after the producer's retries is
   * logged and counted, and the commit still goes out: only a later restart's dedupe is weaker.
   */
  follow(topic: string, partition: number, markers: Promise<void>, then: () => Promise<unknown>): void {
    const key = `${topic}:${partition}`;
    const done: Promise<void> = markers
      .catch((error: unknown) => {
        routerMetrics.markerFailures.inc();
        this.log.warn(
          `dedupe markers for ${key} were not written: ${(error as Error).message}; a restart may route those events again`,
        );
      })
      .then(() => {
        const commit = then()
          .catch((error: unknown) =>
            this.log.debug(`commit after markers of ${key}: ${(error as Error).message}`),
          )
          .finally(() => this.commits.delete(commit));
        this.commits.add(commit);
      })
      .finally(() => {
        if (this.pending.get(key) === done) this.pending.delete(key);
      });
    this.pending.set(key, done);
  }

  /** Runs before the transport closes, so the commits that follow the markers still go through. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    if (this.pending.size === 0 && this.commits.size === 0) return;
    this.log.log(
      `waiting for the dedupe markers of ${this.pending.size} partition(s) and ${this.commits.size} commit(s)`,
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_DRAIN_MS)));
    await Promise.race([Promise.all(this.pending.values()), deadline]);
    await Promise.race([Promise.all(this.commits), deadline]);
    clearTimeout(timer);
  }
}
