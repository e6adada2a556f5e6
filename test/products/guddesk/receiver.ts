import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import express from 'express';

/**
 * A GudDesk agent's webhook receiver, written from the seed's documentation only
 * (/work/shared/seeds/003_9ad9576f95545609.txt, "Verifying Signatures"): it checks X-GudDesk-Signature
 * against the raw payload string with the seed's function before reading anything. Nothing here comes
 * from Herald's code.
 */

/** The seed's verifier as documented: `sha256=` + hex HMAC-SHA256 of the payload, compared with `===`. */
export function verifyWebhook(payload: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(payload).digest('hex');
  return `sha256=${expected}` === signature;
}

export interface VerifiedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw payload string the signature was checked against. */
  payload: string;
  /** The payload parsed after it verified (the seed documents no body shape, so it stays open). */
  body: Record<string, unknown>;
  /** What the agent answered: 200, or 500 while told to fail. */
  answered: number;
}

export interface RejectedDelivery {
  path: string;
  payload: string;
  signature: string | undefined;
}

export class GudDeskAgentReceiver {
  readonly verified: VerifiedDelivery[] = [];
  readonly rejected: RejectedDelivery[] = [];
  private secret = '';
  private failuresLeft = 0;
  private listeners: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<GudDeskAgentReceiver> {
    const app = express();
    const ref: { self?: GudDeskAgentReceiver } = {};
    // The seed verifies the raw payload string, so the body is kept as text until it has verified.
    app.use(express.text({ type: () => true, limit: '5mb' }));
    app.use((req, res) => ref.self!.handle(req, res));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    ref.self = new GudDeskAgentReceiver(server, (server.address() as { port: number }).port);
    return ref.self;
  }

  url(path = '/webhook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The signing secret from the registration's answer, replaced on rotation. */
  useSecret(secret: string): void {
    this.secret = secret;
  }

  /** Answers 500 to the next `count` verified requests. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /** Resolves with the verified deliveries passing `filter` once there are `count` of them. */
  async waitFor(
    count: number,
    filter: (d: VerifiedDelivery) => boolean,
    timeoutMs = 30_000,
  ): Promise<VerifiedDelivery[]> {
    const matching = () => this.verified.filter(filter);
    if (matching().length >= count) return matching();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (matching().length < count) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve(matching());
      };
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(
          new Error(
            `timed out waiting for ${count} verified deliveries; got ${matching().length}, ` +
              `${this.rejected.length} rejected`,
          ),
        );
      }, timeoutMs);
      this.listeners.push(check);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: express.Request, res: express.Response): void {
    const payload = typeof req.body === 'string' ? req.body : '';
    const header = req.headers['x-guddesk-signature'];
    const signature = typeof header === 'string' ? header : undefined;
    // "Always verify signatures in production to ensure requests are genuinely from GudDesk."
    if (signature === undefined || !verifyWebhook(payload, signature, this.secret)) {
      this.rejected.push({ path: req.path, payload, signature });
      res.sendStatus(401);
      return;
    }
    const answered = this.failuresLeft > 0 ? 500 : 200;
    if (answered === 500) this.failuresLeft -= 1;
    this.verified.push({
      path: req.path,
      headers: req.headers,
      payload,
      body: JSON.parse(payload) as Record<string, unknown>,
      answered,
    });
    res.sendStatus(answered);
    for (const listener of [...this.listeners]) listener();
  }
}
