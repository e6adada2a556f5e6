import type { ServerResponse } from 'node:http';
import type { ReceivedRequest } from '@herald/testing';
import type { DeliveryLedger } from './delivery-ledger';

/** How the receiver answers, switched per scenario. */
export type ReceiverMode = 'ok' | 'flaky' | 'chaos';

/**
 * The loopback receiver's answers: every request is counted in the ledger owning its event, and a
 * 2xx given counts the pair delivered. `chaos` shows every misbehaviour a real receiver does.
 */
export class ReceiverBehaviour {
  mode: ReceiverMode = 'ok';
  private readonly hung = new Set<ServerResponse>();

  constructor(
    private readonly ledgerOf: (eventId: string) => DeliveryLedger | undefined,
    private readonly endpointIdOf: (name: string) => string | undefined,
  ) {}

  answer(req: ReceivedRequest, res: ServerResponse): void {
    const endpointId = this.endpointIdOf(req.path.split('/')[2] ?? '');
    let eventId = '';
    try {
      eventId = (JSON.parse(req.body.toString()) as { id: string }).id;
    } catch {
      // unreadable body: answered 400 below and never counted as delivered
    }
    const ledger = this.ledgerOf(eventId);
    ledger?.sawRequest();
    if (!ledger || !endpointId) return void res.writeHead(400).end();
    const webhookId = String(req.headers['webhook-id']);
    const ok = () => {
      if (res.destroyed) return;
      res.writeHead(200).end('ok');
      ledger.accepted2xx(endpointId, eventId, webhookId);
    };
    const roll = Math.random();
    if (this.mode === 'ok') return ok();
    if (this.mode === 'flaky') return roll < 0.25 ? void res.writeHead(500).end('flaky') : ok();
    if (roll < 0.4) return ok();
    if (roll < 0.55) return void res.writeHead(500).end('boom');
    if (roll < 0.62) return void res.writeHead(503, { 'retry-after': '1' }).end('busy');
    if (roll < 0.72) {
      // hangs past the endpoint's 1 s timeout; the socket is dropped later
      this.hung.add(res);
      setTimeout(() => {
        this.hung.delete(res);
        res.destroy();
      }, 3_000).unref();
      return;
    }
    // connection reset mid-request
    if (roll < 0.82) return void res.socket?.resetAndDestroy();
    if (roll < 0.91) return void setTimeout(ok, 400);
    // a 2xx with a huge body: Herald must cap what it reads and still count it delivered
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(Buffer.alloc(5 * 1_048_576, 0x61));
    ledger.accepted2xx(endpointId, eventId, webhookId);
  }

  /** Drops the hung responses, so the receiver can close. */
  release(): void {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }
}
