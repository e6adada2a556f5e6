import { Logger } from '@nestjs/common';
import type { EndpointSnapshot } from '@herald/contracts';
import { validateRetrySchedule } from '@herald/retry';

/** Each endpoint's retry delays in ms, parsed once per snapshot version; the default when it sets none. */
export class RetrySchedules {
  private readonly log = new Logger(RetrySchedules.name);
  private readonly schedules = new Map<string, { version: number; scheduleMs: number[] }>();

  constructor(
    private readonly defaultMs: number[],
    private readonly tiersMs: readonly number[],
  ) {}

  of(endpoint: EndpointSnapshot): number[] {
    if (!endpoint.retrySchedule || endpoint.retrySchedule.length === 0) return this.defaultMs;
    const cached = this.schedules.get(endpoint.id);
    if (cached && cached.version === endpoint.version) return cached.scheduleMs;
    let scheduleMs: number[];
    try {
      scheduleMs = validateRetrySchedule(endpoint.retrySchedule, this.tiersMs);
    } catch (error) {
      this.log.error(`endpoint ${endpoint.id}: ${(error as Error).message}; using the default schedule`);
      scheduleMs = this.defaultMs;
    }
    this.schedules.set(endpoint.id, { version: endpoint.version, scheduleMs });
    return scheduleMs;
  }

  forget(endpointId: string): void {
    this.schedules.delete(endpointId);
  }
}
