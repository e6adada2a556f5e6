import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy';

/** An echo server, a proxy in front of it, and a client whose received bytes the test reads. */
async function setUp(): Promise<{
  proxy: TcpProxy;
  client: Socket;
  received: () => string;
  close: () => Promise<void>;
}> {
  const echo: Server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const proxy = await TcpProxy.start((echo.address() as { port: number }).port);
  const client = connect({ host: '127.0.0.1', port: proxy.port });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  let text = '';
  client.on('data', (chunk: Buffer) => (text += chunk.toString()));
  client.on('error', () => undefined);
  return {
    proxy,
    client,
    received: () => text,
    close: async () => {
      client.destroy();
      await proxy.close();
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('TcpProxy', () => {
  it('passes bytes both ways', async () => {
    const { client, received, close } = await setUp();
    client.write('hello');
    await until(() => received() === 'hello');
    await close();
  });

  it('holds bytes in a blackhole and delivers them, in order, once the path is open again', async () => {
    const { proxy, client, received, close } = await setUp();
    proxy.set({ kind: 'blackhole' });
    client.write('a');
    client.write('b');
    // Nothing can come back while the path is cut: give the loop a few turns to prove it.
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(received()).toBe('');
    proxy.set({ kind: 'pass' });
    client.write('c');
    await until(() => received() === 'abc');
    await close();
  });

  it('delays each chunk by the latency, in order', async () => {
    const { proxy, client, received, close } = await setUp();
    proxy.set({ kind: 'latency', ms: 150 });
    const sent = Date.now();
    client.write('x');
    client.write('y');
    await until(() => received() === 'xy');
    // Both directions are delayed: the echo comes back after two latencies.
    expect(Date.now() - sent).toBeGreaterThanOrEqual(290);
    await close();
  });

  it('resets open connections and refuses new ones in reset mode', async () => {
    const { proxy, client, close } = await setUp();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    proxy.set({ kind: 'reset' });
    await closed;
    const next = connect({ host: '127.0.0.1', port: proxy.port });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => next.once('error', resolve));
    expect(error.code).toBe('ECONNRESET');
    await close();
  });
});
