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
  /** Each waiter counts its matches as requests arrive, so a wait costs O(1) per request, not O(all). */
  private waiters: {
    count: number;
    seen: number;
    filter: (r: ReceivedRequest) => boolean;
    resolve: () => void;
  }[] = [];
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
    return new Promise((resolve, reject) => {
      const done = () => resolve(this.matching(filter));
      const seen = this.matching(filter).length;
      if (seen >= count) return done();
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${count} requests; got ${this.matching(filter).length}`));
      }, timeoutMs);
      this.waiters.push({
        count,
        seen,
        filter,
        resolve: () => {
          clearTimeout(timer);
          done();
        },
      });
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
      if (waiter.filter(request)) waiter.seen += 1;
      if (waiter.seen < waiter.count) return true;
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
