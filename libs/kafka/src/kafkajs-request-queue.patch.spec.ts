/**
 * patches/kafkajs+2.2.4.patch (applied by `npm install`'s postinstall and the image's deps stage):
 * kafkajs 2.2.4's RequestQueue re-armed a 1 ms timer after every check even with nothing queued, so
 * every connection that ever got a response spun a timer loop forever (kafkajs#1556). These fail when
 * the installed kafkajs runs without the patch.
 */
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
};

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const made: Array<{ destroy(): void }> = [];
afterEach(() => made.splice(0).forEach((q) => q.destroy()));

function queue() {
  const q = new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger,
  });
  made.push(q);
  return q;
}

describe('kafkajs RequestQueue (patched)', () => {
  it('arms no timer when nothing is queued (a response, a timeout)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks queued requests again once a throttle ends', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 60_000;
    q.pending.push({});
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
  });
});
