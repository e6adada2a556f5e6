import * as crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { eventually } from '@herald/testing';

/**
 * A MessageDesk webhook receiver built from MessageDesk's own documentation only
 * (/work/shared/seeds/000_15fb22d117caad33.txt, "Send Webhook Relay Action": the Event payload and
 * "Example validation code"; 001_5c9e832f6bdf6cea.txt, "Developer Tools": one workspace secret, which a
 * rotation replaces at once). Nothing of Herald's signing code is used: the seed's code verifies.
 */

/** The Event object every MessageDesk webhook carries, as the seed's example shows it. */
export interface MessageDeskEvent {
  id: string;
  object: 'Event';
  name: string;
  workspaceId: string;
  createdAt: string;
  dataType: string;
  data: Record<string, unknown>;
}

/**
 * The seed's `validateMessageDeskSignature`, with the API secret passed in rather than a constant:
 * a base64 HMAC-SHA256 of `JSON.stringify(body)` (the body as express.json() parsed it), compared
 * with crypto.timingSafeEqual. Like the seed's, it throws when the lengths differ or the header is
 * missing; the receiver counts a throw as a rejection.
 */
export function validateMessageDeskSignature(
  apiSecret: string,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): boolean {
  // Capture the X-MessageDesk-Signature header
  const signature = headers['x-messagedesk-signature'] as string;

  // Compute HMAC SHA256
  const hash = crypto.createHmac('sha256', apiSecret).update(JSON.stringify(body)).digest('base64');

  return crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(signature));
}

export interface VerifiedRequest {
  path: string;
  /** The parsed body, whose re-serialisation verified. */
  event: MessageDeskEvent;
  headers: Record<string, string | string[] | undefined>;
  /** What this receiver answered: 500 while told to fail, 200 otherwise. */
  answered: number;
}

export interface RejectedRequest {
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  reason: string;
}

/** Express app on 127.0.0.1:0 with express.json(), as the seed's `JSON.stringify(body)` implies. */
export class MessageDeskReceiver {
  readonly verified: VerifiedRequest[] = [];
  readonly rejected: RejectedRequest[] = [];
  private failures = 0;

  private constructor(
    private readonly server: Server,
    private apiSecret: string,
  ) {}

  static async start(apiSecret = 'not-yet-generated'): Promise<MessageDeskReceiver> {
    const app = express();
    app.use(express.json());
    const ref: { self?: MessageDeskReceiver } = {};
    app.use((req, res) => ref.self!.handle(req, res));
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(0, '127.0.0.1', (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    ref.self = new MessageDeskReceiver(server, apiSecret);
    return ref.self;
  }

  url(path = '/messagedesk'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** What the user does after "Rotate signing secret": the receiver takes the new one at once. */
  useSecret(apiSecret: string): void {
    this.apiSecret = apiSecret;
  }

  /** Answer 500 to the next `count` requests (each is still verified and recorded). */
  failNext(count: number): void {
    this.failures = count;
  }

  /** Verified events with this Event id, in arrival order. */
  verifiedEvent(eventId: string): VerifiedRequest[] {
    return this.verified.filter((request) => request.event.id === eventId);
  }

  /** Waits until `count` verified requests match, and returns them. */
  waitFor(
    count: number,
    match: (request: VerifiedRequest) => boolean,
    timeoutMs = 30_000,
  ): Promise<VerifiedRequest[]> {
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
    let valid = false;
    let reason = 'signature mismatch';
    try {
      valid = validateMessageDeskSignature(this.apiSecret, req.headers, req.body);
    } catch (error) {
      reason = `validation threw: ${(error as Error).message}`;
    }
    if (!valid) {
      this.rejected.push({ path: req.path, body: req.body, headers: req.headers, reason });
      res.status(401).send('invalid signature');
      return;
    }
    const answered = this.failures > 0 ? 500 : 200;
    if (this.failures > 0) this.failures -= 1;
    this.verified.push({
      path: req.path,
      event: req.body as MessageDeskEvent,
      headers: req.headers,
      answered,
    });
    res.status(answered).send(answered === 200 ? 'ok' : 'failing on purpose');
  }
}
