/**
 * Ctrl-C as a value: long-running commands (tail, job progress) poll `interrupted` and wait with
 * `sleep`, which returns early on SIGINT, so they can finish their own way instead of dying mid-line.
 */
export class Interrupt {
  interrupted = false;
  private wake?: () => void;
  private readonly onSignal = () => {
    this.interrupted = true;
    this.wake?.();
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  sleep(ms: number): Promise<void> {
    if (this.interrupted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  dispose(): void {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }
}
