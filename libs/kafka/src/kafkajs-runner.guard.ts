/**
 * kafkajs 2.2.4 (the last release) can leave a fetcher looping after its consumer stopped: a stop()
 * that lands while the fetch manager is replacing its fetchers (the broker list changed, as when
 * brokers come back) stops the old fetchers, and the fetch manager then starts new ones. Those call
 * Runner#fetch, which returns [] at once when the runner is not running, so they spin on promise
 * callbacks alone: the process's event loop starves (no timers, heartbeats, HTTP or signals) and
 * stop() never returns. Seen in the fault suite after every broker stopped, with the stall
 * watchdog's restart as the stop.
 *
 * Guarded here by making that early return an error: the fetcher ends, the fetch manager rethrows,
 * the runner's retry finds it stopped and finishes stopping, as kafkajs does on its normal path.
 */
// kafkajs' internals have no type declarations.
const Runner = require('kafkajs/src/consumer/runner') as {
  prototype: { fetch(this: { running: boolean }, nodeId: number): Promise<unknown[]> };
};

let guarded = false;

export class KafkaJSRunnerStoppedError extends Error {
  constructor() {
    super('consumer stopped; its fetcher ends');
    this.name = 'KafkaJSRunnerStoppedError';
  }
}

export function guardKafkaJSRunner(): void {
  if (guarded) return;
  guarded = true;
  const fetch = Runner.prototype.fetch;
  Runner.prototype.fetch = async function (this: { running: boolean }, nodeId: number) {
    if (!this.running) throw new KafkaJSRunnerStoppedError();
    return fetch.call(this, nodeId);
  };
}
