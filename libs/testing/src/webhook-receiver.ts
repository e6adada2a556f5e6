import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes received. */
  body: Buffer;
  receivedAt: number;
}

/** Decides how the receiver answers; the default answers 200. */
export type Responder = (request: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/** A loopback HTTP receiver that records every request, for tests, the demo and benchmarks. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private responder: Responder = (_req, res) => {
    res.writeHead(200).end('ok');
  };
  /**
   * Each waiter sees every request as it arrives and says whether it is satisfied, so a wait costs
   * O(1) per request, not O(all).
   */
  private waiters: { satisfiedBy: (r: ReceivedRequest) => boolean; resolve: () => void }[] = [];
  private listeners: ((request: ReceivedRequest) => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    const ref: { self?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on(
        'end',
        () =>
          void ref.self!.accept(
            {
              path: req.url ?? '/',
              headers: req.headers,
              body: Buffer.concat(chunks),
              receivedAt: Date.now(),
            },
            res,
          ),
      );
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    ref.self = new WebhookReceiver(server, (server.address() as { port: number }).port);
    return ref.self;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  onRequest(listener: (request: ReceivedRequest) => void): void {
    this.listeners.push(listener);
  }

  matching(filter: (r: ReceivedRequest) => boolean): ReceivedRequest[] {
    return this.requests.filter(filter);
  }

  /** Resolves once `count` requests passing `filter` have arrived; rejects after `timeoutMs`. */
  waitFor(
    count: number,
    filter: (r: ReceivedRequest) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<ReceivedRequest[]> {
    let seen = this.matching(filter).length;
    return this.wait(
      seen >= count,
      (r) => (filter(r) ? ++seen : seen) >= count,
      () => this.matching(filter),
      () => `timed out waiting for ${count} requests; got ${this.matching(filter).length}`,
      timeoutMs,
    );
  }

  /**
   * Resolves once a request bearing each of `keys` has arrived, however many copies of one came
   * (at-least-once delivery may repeat any of them); returns every request bearing one of them.
   */
  waitForEach(
    keys: Iterable<string>,
    keyOf: (r: ReceivedRequest) => string | undefined,
    timeoutMs = 30_000,
  ): Promise<ReceivedRequest[]> {
    const wanted = new Set(keys);
    const missing = new Set(wanted);
    for (const r of this.requests) missing.delete(keyOf(r) ?? '');
    const bearsKey = (r: ReceivedRequest) => wanted.has(keyOf(r) ?? '');
    return this.wait(
      missing.size === 0,
      (r) => {
        missing.delete(keyOf(r) ?? '');
        return missing.size === 0;
      },
      () => this.matching(bearsKey),
      () =>
        `timed out waiting for ${wanted.size} keys; ${missing.size} never arrived: ${[...missing].slice(0, 5)}`,
      timeoutMs,
    );
  }

  private wait(
    already: boolean,
    satisfiedBy: (r: ReceivedRequest) => boolean,
    result: () => ReceivedRequest[],
    failure: () => string,
    timeoutMs: number,
  ): Promise<ReceivedRequest[]> {
    return new Promise((resolve, reject) => {
      if (already) return resolve(result());
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(failure()));
      }, timeoutMs);
      const waiter = {
        satisfiedBy,
        resolve: () => {
          clearTimeout(timer);
          resolve(result());
        },
      };
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async accept(request: ReceivedRequest, res: ServerResponse): Promise<void> {
    this.requests.push(request);
    for (const listener of this.listeners) listener(request);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.satisfiedBy(request)) return true;
      waiter.resolve();
      return false;
    });
    try {
      await this.responder(request, res);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  }
}
