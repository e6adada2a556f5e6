import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * How the proxy treats traffic: `pass` forwards it; `blackhole` accepts connections and holds every
 * byte, as a network that drops packets does (TCP would resend them once the path heals, so held
 * bytes are delivered on the way back to `pass`); `latency` delays each chunk by `ms`, in order;
 * `reset` answers every connection, open or new, with a TCP reset.
 */
export type ProxyMode =
  { kind: 'pass' } | { kind: 'blackhole' } | { kind: 'latency'; ms: number } | { kind: 'reset' };

/** Bytes one direction may hold in a blackhole before the proxy gives up on that connection. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

class Pipe {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly to: Socket,
    private readonly proxy: TcpProxy,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    const mode = this.proxy.mode;
    if (mode.kind === 'blackhole') {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes > MAX_HELD_BYTES) this.onOverflow();
      return;
    }
    this.release();
    const due = mode.kind === 'latency' ? Date.now() + mode.ms : 0;
    // Every chunk goes through one chain, so a change of mode never reorders bytes.
    this.chain = this.chain.then(async () => {
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!this.to.destroyed) this.to.write(chunk);
    });
  }

  /** Sends what a blackhole held, once the path is open again. */
  release(): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.chain = this.chain.then(() => {
      for (const chunk of held) if (!this.to.destroyed) this.to.write(chunk);
    });
  }
}

/** A TCP proxy in front of one broker, so a test can cut, slow or reset that broker's clients. */
export class TcpProxy {
  private readonly open = new Set<{ client: Socket; upstream: Socket; pipes: Pipe[] }>();
  mode: ProxyMode = { kind: 'pass' };

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async start(targetPort: number, port = 0): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port, targetPort);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  set(mode: ProxyMode): void {
    this.mode = mode;
    if (mode.kind === 'reset') {
      for (const { client, upstream } of this.open) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      this.open.clear();
    } else if (mode.kind !== 'blackhole') {
      for (const { pipes } of this.open) for (const pipe of pipes) pipe.release();
    }
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.open) {
      client.destroy();
      upstream.destroy();
    }
    this.open.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode.kind === 'reset') {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    upstream.setNoDelay(true);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.open.delete(entry);
    };
    const toUpstream = new Pipe(upstream, this, drop);
    const toClient = new Pipe(client, this, drop);
    const entry = { client, upstream, pipes: [toUpstream, toClient] };
    this.open.add(entry);
    client.on('data', (chunk: Buffer) => toUpstream.push(chunk));
    upstream.on('data', (chunk: Buffer) => toClient.push(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  }
}
