import * as crypto from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { eventually } from '@herald/testing';

/**
 * A NexaDesk customer's webhook handler, written from NexaDesk's documentation only
 * (/work/shared/seeds/004_f9728e5060c2493b.txt, "Signature Verification"): express.json() parses the
 * body, the seed's verifyWebhook checks `JSON.stringify(req.body)` against X-NexaDesk-Signature, and
 * the handler answers 401 "Invalid signature" or 200 "OK". Nothing of Herald's signing code is used.
 * It holds its secret from the start, as NEXADESK_WEBHOOK_SECRET, so it verifies the very first
 * request too: Save's test ping. That works because the endpoint is created with that secret
 * (`secret` on create); with a generated one the seed's handler answers the ping 401.
 */

/** The seed's `verifyWebhook`, as documented: `"sha256=" + hex HMAC`, compared with timingSafeEqual. */
export function verifyWebhook(body: string, signature: string, secret: string): boolean {
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(body, 'utf-8').digest('hex');
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

/** "All webhook payloads follow this structure" (Payload Format). */
export interface NexaDeskPayload {
  event: string;
  timestamp: string;
  workspace_id: string;
  data: Record<string, unknown>;
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as express.json() parsed it. */
  payload: NexaDeskPayload;
  signature: string | undefined;
  /** What the handler answered. */
  answered: number;
}

export interface RejectedRequest extends ReceivedRequest {
  reason: string;
}

export class NexaDeskReceiver {
  /** Requests the seed's code verified, in arrival order. */
  readonly verified: ReceivedRequest[] = [];
  /** Requests answered 401 "Invalid signature". */
  readonly rejected: RejectedRequest[] = [];
  private failures = 0;

  private constructor(
    private readonly server: Server,
    private secret: string,
  ) {}

  /** `secret` is NEXADESK_WEBHOOK_SECRET, set before the webhook is added. */
  static async start(secret: string): Promise<NexaDeskReceiver> {
    const app = express();
    // The seed re-serialises req.body with JSON.stringify, so the body is parsed as JSON first.
    app.use(express.json());
    const ref: { self?: NexaDeskReceiver } = {};
    app.post('/{*splat}', (req, res) => ref.self!.handle(req, res));
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(0, '127.0.0.1', (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    ref.self = new NexaDeskReceiver(server, secret);
    return ref.self;
  }

  url(path = '/webhooks/nexadesk'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** NEXADESK_WEBHOOK_SECRET replaced, after a rotation. */
  useSecret(secret: string): void {
    this.secret = secret;
  }

  /** Answer 500 to the next `count` verified requests (each still recorded), to provoke retries. */
  failNext(count: number): void {
    this.failures = count;
  }

  /** Waits until `count` verified requests match, and returns them. */
  waitFor(
    count: number,
    match: (request: ReceivedRequest) => boolean,
    timeoutMs = 30_000,
  ): Promise<ReceivedRequest[]> {
    return eventually(async () => {
      const found = this.verified.filter(match);
      return found.length >= count ? found : undefined;
    }, timeoutMs);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private handle(req: express.Request, res: express.Response): void {
    const header = req.headers['x-nexadesk-signature'];
    const signature = typeof header === 'string' ? header : undefined;
    const request = { path: req.path, headers: req.headers, payload: req.body as NexaDeskPayload, signature };
    let isValid = false;
    let reason = 'signature mismatch';
    try {
      isValid = verifyWebhook(JSON.stringify(req.body), signature as string, this.secret);
    } catch (error) {
      // The seed's function throws on a missing header or a length mismatch; that is no valid signature.
      reason = `verification threw: ${(error as Error).message}`;
    }
    if (!isValid) {
      this.rejected.push({ ...request, answered: 401, reason });
      res.status(401).send('Invalid signature');
      return;
    }
    const answered = this.answer();
    this.verified.push({ ...request, answered });
    res.status(answered).send(answered === 200 ? 'OK' : 'failing on purpose');
  }

  private answer(): number {
    if (this.failures === 0) return 200;
    this.failures -= 1;
    return 500;
  }
}
