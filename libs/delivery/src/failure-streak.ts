import type { FailingThreshold } from '@herald/contracts';

/**
 * Since when an endpoint has failed without a single success, for auto-disable, against the snapshot
 * version it was seen on. An edit (a newer version) voids it: the user changed something, so the
 * count starts afresh.
 */
export interface FailureStreak {
  version: number;
  failingSince: number;
  /** The highest `endpoint.failing` level announced so far (failing-threshold.rule.ts). */
  threshold?: FailingThreshold;
}

/** The streak that still counts for an endpoint at `version`, if any. */
export function liveStreak(streak: FailureStreak | undefined, version: number): FailureStreak | undefined {
  return streak && streak.version >= version ? streak : undefined;
}

/**
 * Streaks held by the dispatcher that owns each endpoint's partition; persisted on the compacted
 * endpoint-health topic and read back on start-up, so a restart keeps counting. One entry per
 * failing endpoint; entries of deleted endpoints or voided by an edit are pruned.
 */
export class FailureStreaks {
  private readonly streaks = new Map<string, FailureStreak>();

  get(endpointId: string): FailureStreak | undefined {
    return this.streaks.get(endpointId);
  }

  set(endpointId: string, streak: FailureStreak): void {
    this.streaks.set(endpointId, streak);
  }

  delete(endpointId: string): void {
    this.streaks.delete(endpointId);
  }

  /** Drops a streak an endpoint's newer snapshot voided. */
  pruneBelow(endpointId: string, version: number): void {
    const streak = this.streaks.get(endpointId);
    if (streak && streak.version < version) this.streaks.delete(endpointId);
  }

  endpointIds(): string[] {
    return [...this.streaks.keys()];
  }

  get size(): number {
    return this.streaks.size;
  }
}
