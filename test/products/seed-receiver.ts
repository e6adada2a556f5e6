import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';

/**
 * The harness every product receiver in test/products/<product>/receiver.ts plugs its seed's code into:
 * an Express server on 127.0.0.1:0 that runs the seed's verification on each request, records what
 * verified and what did not, answers as the seed says, and can be told to answer 500 for a while. What
 * a seed documents (its parser, header, verification code, answers and payload shape) stays in the
 * product's file; nothing here or there uses Herald's signing code.
 */

/** A request as the seed's body parser left it. */
export interface SeedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface SeedAnswer {
  status: number;
  body: string;
}

/** What one product's documentation says about receiving its webhooks. */
export interface SeedDocs<View> {
  /** The body parser the seed's sample implies (raw text, or express.json() where it re-serialises). */
  parser: RequestHandler;
  /** The seed's verification with the receiver's current secret; false or a throw rejects the request. */
  verify(request: SeedRequest, secret: string): boolean;
  /** What the seed's handler answers when the request verified, and when it did not. */
  accepted: SeedAnswer;
  rejected: SeedAnswer;
  /** The product's reading of a verified request: its documented payload shape. */
  read(request: SeedRequest): View;
  /** The path the seed's sample listens on. */
  path: string;
}

export type Verified<View> = View & {
  path: string;
  headers: IncomingHttpHeaders;
  /** What the receiver answered: the seed's success, or 500 while told to fail. */
  answered: number;
};

export interface Rejected {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  reason: string;
}

/** Not the seed's answer: what the receiver sends while told to fail (Herald logs it as the response). */
export const FAILING: SeedAnswer = { status: 500, body: 'failing on purpose' };

export class SeedReceiver<View> {
  /** Requests the seed's code verified, in arrival order. */
  readonly verified: Verified<View>[] = [];
  /** Requests it rejected, answered with the seed's rejection. */
  readonly rejected: Rejected[] = [];
  private server: Server | undefined;
  private failuresLeft = 0;
  private listeners: (() => void)[] = [];

  protected constructor(
    private readonly docs: SeedDocs<View>,
    private secret: string | undefined,
  ) {}

  /** Starts listening; a subclass's `start` calls this on a new instance. */
  protected async listen(): Promise<this> {
    const app = express();
    // Herald only POSTs; every path is the product's handler, so one receiver can serve several URLs.
    app.post('/{*splat}', this.docs.parser, (req, res) => this.handle(req, res));
    this.server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(0, '127.0.0.1', (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    return this;
  }

  url(path = this.docs.path): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  /** The secret the product's customer configured, replaced after a rotation. */
  useSecret(secret: string): void {
    this.secret = secret;
  }

  /** Answers 500 to the next `count` verified requests (each still verified and recorded). */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /** Resolves with the verified requests passing `match` once there are `count` of them. */
  waitFor(
    count: number,
    match: (request: Verified<View>) => boolean,
    timeoutMs = 30_000,
  ): Promise<Verified<View>[]> {
    const matching = () => this.verified.filter(match);
    if (matching().length >= count) return Promise.resolve(matching());
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
            `timed out waiting for ${count} verified requests; got ${matching().length}, ` +
              `${this.rejected.length} rejected`,
          ),
        );
      }, timeoutMs);
      this.listeners.push(check);
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: express.Request, res: express.Response): void {
    const request: SeedRequest = { path: req.path, headers: req.headers, body: req.body as unknown };
    const verdict = this.check(request);
    if (verdict !== undefined) {
      this.rejected.push({ ...request, reason: verdict });
      res.status(this.docs.rejected.status).send(this.docs.rejected.body);
      return;
    }
    const answer = this.failuresLeft > 0 ? FAILING : this.docs.accepted;
    if (answer === FAILING) this.failuresLeft -= 1;
    this.verified.push({
      ...this.docs.read(request),
      path: request.path,
      headers: request.headers,
      answered: answer.status,
    });
    res.status(answer.status).send(answer.body);
    for (const listener of [...this.listeners]) listener();
  }

  /** Why the request is rejected, or undefined when the seed's code verified it. */
  private check(request: SeedRequest): string | undefined {
    if (this.secret === undefined) return 'no secret configured yet';
    try {
      return this.docs.verify(request, this.secret) ? undefined : 'signature mismatch';
    } catch (error) {
      // Seeds that compare with timingSafeEqual throw on a length mismatch: no valid signature either.
      return `verification threw: ${(error as Error).message}`;
    }
  }
}
