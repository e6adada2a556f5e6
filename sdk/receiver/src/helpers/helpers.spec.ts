import express from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import {
  acknowledge,
  createDeduper,
  createVerifier,
  expressWebhook,
  fastifyRawBody,
  fastifyWebhook,
  MemoryDedupeStore,
  nestWebhookGuard,
  retryLater,
  sign,
  unsubscribe,
  webhookHandler,
  WebhookVerificationError,
} from '../index';
import Fastify, { type FastifyRequest } from 'fastify';

const SECRET = 'whsec_' + Buffer.alloc(24, 3).toString('base64');
const verifier = createVerifier({ secrets: [SECRET] });
const BODY = '{"type":"message.received","data":{"n":1}}';

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('expressWebhook', () => {
  let url: string;
  let server: Server;
  const seen: unknown[] = [];
  beforeAll(async () => {
    const app = express();
    app.post('/hooks', expressWebhook(verifier), (req, res) => {
      seen.push((req as unknown as { webhook: unknown }).webhook);
      res.status(204).end();
    });
    // The usual mistake: a JSON parser runs first and the raw bytes are gone.
    app.post('/parsed', express.json(), expressWebhook(verifier), (_req, res) => res.status(204).end());
    ({ url, server } = await listen(app));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('verifies the raw bytes and hands the route the webhook', async () => {
    const signed = await sign({ secret: SECRET, body: BODY, id: 'msg_e1' });
    const response = await fetch(`${url}/hooks`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(response.status).toBe(204);
    expect(seen).toEqual([expect.objectContaining({ id: 'msg_e1', payload: JSON.parse(BODY) })]);
  });

  it('answers 401 with the code for a tampered body, and BODY_REPARSED after express.json()', async () => {
    const signed = await sign({ secret: SECRET, body: BODY });
    const tampered = await fetch(`${url}/hooks`, {
      method: 'POST',
      headers: signed.headers,
      body: BODY.replace('"n":1', '"n":2'),
    });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
    const parsed = await fetch(`${url}/parsed`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(await parsed.json()).toMatchObject({ error: 'BODY_REPARSED' });
  });
});

describe('webhookHandler (fetch Request)', () => {
  const handler = webhookHandler(verifier, async (webhook) =>
    (webhook.payload as { data: { n: number } }).data.n === 1 ? undefined : unsubscribe(),
  );

  it('answers 204 after a verified request, the handler result otherwise, 401 when refused', async () => {
    const signed = await sign({ secret: SECRET, body: BODY });
    const request = (body: string) =>
      new Request('http://x/hooks', { method: 'POST', headers: signed.headers, body });
    expect((await handler(request(signed.body))).status).toBe(204);
    const refused = await handler(request('{}'));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
    const other = await sign({ secret: SECRET, body: '{"data":{"n":2}}' });
    const gone = await handler(
      new Request('http://x', { method: 'POST', headers: other.headers, body: other.body }),
    );
    expect(gone.status).toBe(410);
  });
});

describe('fastify helpers (on a real Fastify instance)', () => {
  it('keeps the raw text, still parses it, verifies it in the preHandler and refuses what does not verify', async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    fastifyRawBody(app as unknown as Parameters<typeof fastifyRawBody>[0]);
    app.post(
      '/hooks',
      { preHandler: fastifyWebhook(verifier) as never },
      async (request: FastifyRequest & { webhook?: { payload: unknown } }) => {
        seen.push({ webhook: request.webhook?.payload, body: request.body });
        return { ok: true };
      },
    );
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/hooks`;
    const signed = await sign({ secret: SECRET, body: BODY });
    const headers = { ...signed.headers, 'content-type': 'application/json' };
    const ok = await fetch(url, { method: 'POST', headers, body: signed.body });
    expect(ok.status).toBe(200);
    expect(seen).toEqual([{ webhook: JSON.parse(BODY), body: JSON.parse(BODY) }]);
    const tampered = await fetch(url, { method: 'POST', headers, body: BODY.replace('1', '2') });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
    expect(seen).toHaveLength(1);
    await app.close();
  });
});

describe('nestWebhookGuard', () => {
  const context = (request: object) => ({ switchToHttp: () => ({ getRequest: <T>() => request as T }) });

  it('passes a verified rawBody, refuses others (or throws what toHttpError makes)', async () => {
    const signed = await sign({ secret: SECRET, body: BODY });
    const request = { headers: signed.headers, rawBody: Buffer.from(signed.body), on: jest.fn() };
    await expect(nestWebhookGuard(verifier).canActivate(context(request))).resolves.toBe(true);
    expect((request as { webhook?: { payload: unknown } }).webhook?.payload).toEqual(JSON.parse(BODY));
    const bad = { headers: signed.headers, rawBody: '{}', on: jest.fn() };
    await expect(nestWebhookGuard(verifier).canActivate(context(bad))).resolves.toBe(false);
    const guard = nestWebhookGuard(verifier, { toHttpError: (e) => new Error(`401 ${e.code}`) });
    await expect(guard.canActivate(context(bad))).rejects.toThrow('401 BAD_SIGNATURE');
  });
});

describe('createDeduper', () => {
  it('runs a webhook-id once within the TTL, again after it, and again after a failed handler', async () => {
    let now = 0;
    const deduper = createDeduper({ store: new MemoryDedupeStore(() => now), ttlSeconds: 60 });
    const runs: string[] = [];
    expect(await deduper.once('msg_1', () => void runs.push('a'))).toBe(true);
    expect(await deduper.once('msg_1', () => void runs.push('b'))).toBe(false);
    now = 60_001;
    expect(await deduper.once('msg_1', () => void runs.push('c'))).toBe(true);
    await expect(
      deduper.once('msg_2', () => {
        throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
    expect(await deduper.once('msg_2', () => void runs.push('d'))).toBe(true);
    expect(runs).toEqual(['a', 'c', 'd']);
  });
});

describe('response helpers', () => {
  it('maps to what Herald acts on', () => {
    expect(acknowledge().status).toBe(204);
    expect(() => acknowledge(500)).toThrow(RangeError);
    expect(unsubscribe().status).toBe(410);
    expect(retryLater(90)).toMatchObject({ status: 503, headers: { 'retry-after': '90' } });
    expect(retryLater(new Date(Date.UTC(2030, 0, 1)), 429)).toMatchObject({
      status: 429,
      headers: { 'retry-after': 'Tue, 01 Jan 2030 00:00:00 GMT' },
    });
    expect(new WebhookVerificationError('NO_ID', 'x').code).toBe('NO_ID');
  });
});
