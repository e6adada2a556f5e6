import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * The process's event-loop utilisation over the last completed window (about `windowMs`): how busy
 * the process is, whatever it is busy with (handlers, background attempts, other consumers).
 */
export class LoopLoad {
  private mark: EventLoopUtilization;
  private value = 0;

  constructor(
    private readonly windowMs = 200,
    private readonly read: (a?: EventLoopUtilization, b?: EventLoopUtilization) => EventLoopUtilization = (
      a,
      b,
    ) => performance.eventLoopUtilization(a, b),
  ) {
    this.mark = this.read();
  }

  utilization(): number {
    const current = this.read();
    const delta = this.read(current, this.mark);
    if (delta.idle + delta.active >= this.windowMs) {
      this.value = delta.utilization;
      this.mark = current;
    }
    return this.value;
  }
}
