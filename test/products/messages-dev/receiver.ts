import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import express from 'express';

/**
 * A Messages.dev customer's webhook receiver, written from the seed's documentation only
 * (/work/shared/seeds/002_f0192a3814821eb8.txt, "Verifying signatures"): it verifies the raw body with
 * the seed's manual verifier before reading the payload. Nothing here comes from Herald's code.
 */

/** The seed's manual verifier, as documented: hex HMAC-SHA256 of the body, compared with `===`. */
export function verifyWebhook(body: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  return expected === signature;
}

/** The delivery body the seed shows: `{event, data, timestamp}`, timestamp in epoch milliseconds. */
export interface MessagesDevPayload {
  event: string;
  data: Record<string, unknown>;
  timestamp: number;
}

export interface VerifiedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body the signature was checked against. */
  body: string;
  payload: MessagesDevPayload;
  /** What the receiver answered: 200, or 500 while told to fail. */
  answered: number;
}

export interface RejectedDelivery {
  path: string;
  body: string;
  signature: string | undefined;
}

export class MessagesDevReceiver {
  readonly verified: VerifiedDelivery[] = [];
  readonly rejected: RejectedDelivery[] = [];
  private secret = '';
  private failuresLeft = 0;
  private listeners: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<MessagesDevReceiver> {
    const app = express();
    const ref: { self?: MessagesDevReceiver } = {};
    // The seed verifies the raw string, so the body is kept as text, never parsed before verifying.
    app.use(express.text({ type: () => true, limit: '5mb' }));
    app.use((req, res) => ref.self!.handle(req, res));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    ref.self = new MessagesDevReceiver(server, (server.address() as { port: number }).port);
    return ref.self;
  }

  url(path = '/webhooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The signing secret copied from the dashboard (or the API's answer), replaced on rotation. */
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
    const body = typeof req.body === 'string' ? req.body : '';
    const header = req.headers['x-webhook-signature'];
    const signature = typeof header === 'string' ? header : undefined;
    // "Always verify the signature before processing a webhook payload."
    if (signature === undefined || !verifyWebhook(body, signature, this.secret)) {
      this.rejected.push({ path: req.path, body, signature });
      res.sendStatus(401);
      return;
    }
    const answered = this.failuresLeft > 0 ? 500 : 200;
    if (answered === 500) this.failuresLeft -= 1;
    this.verified.push({
      path: req.path,
      headers: req.headers,
      body,
      payload: JSON.parse(body) as MessagesDevPayload,
      answered,
    });
    res.sendStatus(answered);
    for (const listener of [...this.listeners]) listener();
  }
}
