import { EventEmitter } from 'node:events';

/**
 * An attempt's overall deadline, in the EventEmitter shape undici accepts as a request signal.
 * AbortSignal.timeout() does the same with an EventTarget, a WeakRef and a finalizer per call, a
 * measurable share of the dispatcher's CPU at thousands of attempts a second.
 */
export class AttemptDeadline extends EventEmitter {
  aborted = false;
  reason: Error | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    super();
    this.timer = setTimeout(() => this.expire(), timeoutMs);
    this.timer.unref();
  }

  /** Call once the attempt is over, however it ended. */
  clear(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    const error = new Error(`no complete answer within ${this.timeoutMs} ms`);
    error.name = 'TimeoutError';
    this.reason = error;
    this.aborted = true;
    this.emit('abort');
  }
}
