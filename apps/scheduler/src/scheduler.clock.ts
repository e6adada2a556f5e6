import { Injectable } from '@nestjs/common';

/** Wall clock behind an injectable, so use-case specs can fix the time. */
@Injectable()
export class SchedulerClock {
  now(): number {
    return Date.now();
  }
}
