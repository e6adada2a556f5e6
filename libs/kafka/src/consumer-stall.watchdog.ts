import { Logger } from '@nestjs/common';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { consumerWatchdogEnv } from './consumer-watchdog.env';

interface PartitionWatch {
  position: bigint;
  since: number;
}

export interface ConsumerStallWatchdogOptions {
  kafka: Kafka;
  consumer: Consumer;
  groupId: string;
  /** Partitions the owner paused on purpose are never stalled. */
  isPaused?: (topic: string, partition: number) => boolean;
  /** Restarts the consumer (stop + run). */
  restart: () => Promise<void>;
  /** Read committed offsets as the floor of each position (false for groups that never commit). */
  useCommittedOffsets: boolean;
  /** Where a partition with no known position starts: its low watermark when reading from the beginning. */
  fromBeginning: boolean;
}

/**
 * Commits may trail reads while work runs in the background (the dispatcher's attempts, up to 30 s);
 * a commit that has not moved for this many stall timeouts (2 min by default) is not coming.
 */
export const COMMIT_STALL_FACTOR = 6;

/**
 * kafkajs 2.2 can stop fetching the partitions of a broker that went down and came back, while the
 * consumer stays in its group and reports nothing; a restart of the consumer recovers them. This
 * watchdog compares each assigned partition's position with its high watermark and restarts the
 * consumer when a partition with unread records has made no progress for KAFKA_STALL_TIMEOUT_MS.
 *
 * It also restarts it when reads went past the committed offset and that offset has not moved for
 * COMMIT_STALL_FACTOR stall timeouts: the owner holds commits below work it did not finish (e.g. a
 * write that failed in the background) and would read it again only with a later batch, which an idle
 * partition never delivers. The restart reads on from the committed offset.
 */
export class ConsumerStallWatchdog {
  private readonly log = new Logger(ConsumerStallWatchdog.name);
  private readonly settings = loadConfig(consumerWatchdogEnv);
  private readonly positions = new Map<string, bigint>();
  private readonly watches = new Map<string, PartitionWatch>();
  /** Committed offsets below the read position, and since when they have not moved. */
  private readonly commitWatches = new Map<string, PartitionWatch>();
  private assignment: Record<string, number[]> = {};
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(private readonly options: ConsumerStallWatchdogOptions) {
    const { consumer } = options;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.assignment = event.payload.memberAssignment;
      this.watches.clear();
      this.commitWatches.clear();
    });
    // A rejoin can take up to a session timeout; restarting the consumer in the middle of it only
    // starts another one. Watching resumes with the next assignment.
    consumer.on(consumer.events.REBALANCING, () => {
      this.assignment = {};
      this.watches.clear();
      this.commitWatches.clear();
    });
  }

  /** The owner read up to (excluding) `nextOffset`. */
  noteProgress(topic: string, partition: number, nextOffset: string): void {
    this.positions.set(`${topic}:${partition}`, BigInt(nextOffset));
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.settings.KAFKA_STALL_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const stalled = await this.findStalled();
      if (stalled.length === 0) return;
      this.log.warn(
        `consumer ${this.options.groupId} made no progress on ${stalled.join(', ')}; restarting it`,
      );
      this.watches.clear();
      this.commitWatches.clear();
      await this.options.restart();
    } catch (error) {
      // The cluster may be unreachable right now; the next check tries again.
      this.log.debug(`stall check of ${this.options.groupId} failed: ${(error as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  private async findStalled(): Promise<string[]> {
    const topics = Object.keys(this.assignment);
    if (topics.length === 0) return [];
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const committed = new Map<string, bigint>();
    if (this.options.useCommittedOffsets) {
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId: this.options.groupId,
        topics,
      })) {
        for (const { partition, offset } of partitions)
          committed.set(`${topic}:${partition}`, BigInt(offset));
      }
    }
    const now = Date.now();
    const stalled: string[] = [];
    for (const topic of topics) {
      const assigned = new Set(this.assignment[topic]);
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (!assigned.has(partition) || this.options.isPaused?.(topic, partition)) continue;
        const key = `${topic}:${partition}`;
        const known = [this.positions.get(key), committed.get(key)].filter(
          (v): v is bigint => v !== undefined && v >= 0n,
        );
        if (known.length === 0 && this.options.fromBeginning) known.push(BigInt(low));
        if (known.length === 0) continue;
        const position = known.reduce((a, b) => (a > b ? a : b));
        const watch = this.watches.get(key);
        if (position >= BigInt(high)) {
          this.watches.delete(key);
        } else if (!watch || watch.position !== position) {
          this.watches.set(key, { position, since: now });
        } else if (now - watch.since >= this.settings.KAFKA_STALL_TIMEOUT_MS) {
          stalled.push(key);
          continue;
        }
        if (this.commitStalled(key, committed.get(key), now)) stalled.push(`${key} (commit not moving)`);
      }
    }
    return stalled;
  }

  /** Reads went past `committed` and it has not moved for COMMIT_STALL_FACTOR stall timeouts. */
  private commitStalled(key: string, committed: bigint | undefined, now: number): boolean {
    const read = this.positions.get(key);
    if (committed === undefined || committed < 0n || read === undefined || committed >= read) {
      this.commitWatches.delete(key);
      return false;
    }
    const watch = this.commitWatches.get(key);
    if (!watch || watch.position !== committed) {
      this.commitWatches.set(key, { position: committed, since: now });
      return false;
    }
    return now - watch.since >= COMMIT_STALL_FACTOR * this.settings.KAFKA_STALL_TIMEOUT_MS;
  }
}
