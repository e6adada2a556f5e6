import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { EndpointSnapshot } from '@herald/contracts';
import { egressPolicy } from '@herald/egress';
import { SSRF_CORPUS } from '../../egress/src/ssrf-corpus.fixture';
import { generateSigningSecret, SecretCipher } from '@herald/signing';
import { MAX_RECORDED_BODY_BYTES, WebhookSender } from './webhook.sender';
import { SignedAttemptPerformer } from './signed-attempt.performer';
import type { LookupFunction } from './safe-lookup';

interface Hit {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('WebhookSender', () => {
  let server: Server;
  let base: string;
  const hits: Hit[] = [];
  let respond: (req: IncomingMessage, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({ url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        respond(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    hits.length = 0;
    respond = (_req, res) => res.writeHead(200, { 'x-ok': '1' }).end('thanks');
  });

  const dev = () => new WebhookSender({ policy: egressPolicy('development') });

  it('posts the exact body and reports status, headers, body and remote IP', async () => {
    const sender = dev();
    const result = await sender.send({
      url: `${base}/hook`,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({
      status: 200,
      body: 'thanks',
      bodyTruncated: false,
      remoteIp: '127.0.0.1',
      errorClass: null,
    });
    expect(result.headers['x-ok']).toBe('1');
    expect(hits[0].body).toBe('{"a":1}');
    await sender.close();
  });

  it('never follows a redirect', async () => {
    respond = (req, res) =>
      req.url === '/hook'
        ? res.writeHead(302, { location: `${base}/elsewhere` }).end()
        : res.writeHead(200).end();
    const sender = dev();
    const result = await sender.send({ url: `${base}/hook`, headers: {}, body: '{}', timeoutMs: 5000 });
    expect(result.status).toBe(302);
    expect(hits.map((h) => h.url)).toEqual(['/hook']);
    await sender.close();
  });

  it('times out a hung receiver', async () => {
    respond = () => undefined;
    const sender = dev();
    const result = await sender.send({ url: `${base}/hang`, headers: {}, body: '{}', timeoutMs: 300 });
    expect(result.errorClass).toBe('timeout');
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(3000);
    await sender.close();
  });

  it('times out a receiver that answers at once but drips its body past the deadline', async () => {
    let drip: NodeJS.Timeout | undefined;
    respond = (_req, res) => {
      res.writeHead(200);
      drip = setInterval(() => res.write('.'), 50); // each chunk well inside the per-chunk timeout
    };
    const sender = dev();
    const result = await sender.send({ url: `${base}/drip`, headers: {}, body: '{}', timeoutMs: 400 });
    clearInterval(drip);
    expect(result).toMatchObject({ status: null, errorClass: 'timeout' });
    expect(result.durationMs).toBeGreaterThanOrEqual(350);
    expect(result.durationMs).toBeLessThan(2000);
    await sender.close();
  });

  it('classifies refused connections and DNS failures', async () => {
    const sender = dev();
    const refused = await sender.send({
      url: 'http://127.0.0.1:1/',
      headers: {},
      body: '{}',
      timeoutMs: 2000,
    });
    expect(refused.errorClass).toBe('connect');
    const dns = await sender.send({
      url: 'http://no-such-host.invalid/',
      headers: {},
      body: '{}',
      timeoutMs: 5000,
    });
    expect(dns.errorClass).toBe('dns');
    await sender.close();
  });

  it('cuts recorded response bodies at 64 KiB', async () => {
    respond = (_req, res) => res.writeHead(500).end('x'.repeat(200_000));
    const sender = dev();
    const result = await sender.send({ url: `${base}/big`, headers: {}, body: '{}', timeoutMs: 5000 });
    expect(result.status).toBe(500);
    expect(result.body).toHaveLength(MAX_RECORDED_BODY_BYTES);
    expect(result.bodyTruncated).toBe(true);
    await sender.close();
  });

  describe('in production mode (send-time SSRF check)', () => {
    it('refuses the whole SSRF corpus without opening a connection', async () => {
      const sender = new WebhookSender({ policy: egressPolicy('production') });
      for (const url of SSRF_CORPUS) {
        const result = await sender.send({ url, headers: {}, body: '{}', timeoutMs: 2000 });
        expect({ url, errorClass: result.errorClass }).toEqual({ url, errorClass: 'unsafe_address' });
      }
      expect(hits).toHaveLength(0);
      await sender.close();
    });

    it('refuses a public-looking name whose DNS answer is private (rebinding), even over a reused pool', async () => {
      const port = (server.address() as AddressInfo).port;
      const answers = ['127.0.0.1'];
      const resolve: LookupFunction = (_host, _options, callback) =>
        callback(
          null,
          answers.map((address) => ({ address, family: 4 })),
        );
      const told: string[] = [];
      const sender = new WebhookSender({
        policy: egressPolicy('production'),
        resolve,
        onRefusedAddress: (host, address, reason) => told.push(`${host} ${address} ${reason}`),
      });
      const result = await sender.send({
        url: `https://hooks.example.com:${port}/x`,
        headers: {},
        body: '{}',
        timeoutMs: 2000,
      });
      expect(result.errorClass).toBe('unsafe_address');
      // The attempt log names the host, never what it resolved to; the operator hears the address.
      expect(result.errorMessage).toMatch(/hooks\.example\.com: it resolves to a non-public address/);
      expect(result.errorMessage).not.toMatch(/127\.0\.0\.1|loopback/);
      expect(result.remoteIp).toBeNull();
      expect(told).toEqual(['hooks.example.com 127.0.0.1 127.0.0.1 is a loopback address']);
      answers.splice(0, 1, '93.184.216.34', '10.0.0.8');
      const mixed = await sender.send({
        url: `https://hooks.example.com:${port}/x`,
        headers: {},
        body: '{}',
        timeoutMs: 2000,
      });
      expect(mixed.errorClass).toBe('unsafe_address');
      expect(hits).toHaveLength(0);
      await sender.close();
    });

    it('lets an allowlisted CIDR through', async () => {
      const sender = new WebhookSender({ policy: { ...egressPolicy('production', ['127.0.0.0/8']) } });
      const result = await sender.send({
        url: `${base.replace('http:', 'https:')}/x`,
        headers: {},
        body: '{}',
        timeoutMs: 2000,
      });
      // The check passes; the TLS handshake against a plain HTTP server then fails.
      expect(result.errorClass).not.toBe('unsafe_address');
      await sender.close();
    });

    it("opens a workspace's allowlist for its own requests only, never over a shared pool", async () => {
      const port = (server.address() as AddressInfo).port;
      const resolve: LookupFunction = (_host, _options, callback) =>
        callback(null, [{ address: '127.0.0.1', family: 4 }]);
      const sender = new WebhookSender({ policy: egressPolicy('production'), resolve });
      const url = `https://partner.example.com:${port}/x`;
      const send = (egressAllowCidrs?: string[]) =>
        sender.send({ url, headers: {}, body: '{}', timeoutMs: 2000, egressAllowCidrs });
      // Allowed: the check passes and the TLS handshake with the plain HTTP server fails after.
      expect((await send(['127.0.0.0/8'])).errorClass).not.toBe('unsafe_address');
      expect((await send()).errorClass).toBe('unsafe_address');
      expect((await send(['10.0.0.0/8'])).errorClass).toBe('unsafe_address');
      expect((await send(['127.0.0.0/8'])).errorClass).not.toBe('unsafe_address');
      await sender.close();
    });
  });

  describe('SignedAttemptPerformer', () => {
    it('sends a signed request a Standard Webhooks verifier accepts, with redacted recorded headers', async () => {
      const cipher = new SecretCipher(randomBytes(32));
      const { secret } = generateSigningSecret('standard-webhooks');
      const endpoint: EndpointSnapshot = {
        id: 'ep_1',
        workspaceId: 'ws_1',
        version: 1,
        url: `${base}/signed`,
        eventTypes: ['*'],
        filter: null,
        description: null,
        payloadProfile: 'herald',
        signatureScheme: 'standard-webhooks',
        signatureHeader: null,
        secrets: [
          {
            id: 's1',
            ciphertext: cipher.encrypt(secret),
            createdAt: new Date().toISOString(),
            expiresAt: null,
          },
        ],
        headers: { 'X-Tenant': 'acme', 'webhook-id': 'forged' },
        timeoutMs: 5000,
        maxInFlight: 10,
        rateLimitPerSecond: null,
        retrySchedule: null,
        fifo: false,
        disabled: false,
        disabledReason: null,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
      const sender = dev();
      const performer = new SignedAttemptPerformer(sender, cipher, 'Herald/test');
      const body = '{"type":"test","data":{"n":1}}';
      const done = await performer.perform(endpoint, {
        webhookId: 'dlv_1',
        attempt: 3,
        body,
        traceparent: null,
      });
      expect(done.result.status).toBe(200);
      const hit = hits[0];
      expect(hit.headers['webhook-id']).toBe('dlv_1');
      expect(hit.headers['webhook-attempt']).toBe('3');
      expect(hit.headers['user-agent']).toBe('Herald/test');
      expect(hit.headers['x-tenant']).toBe('acme');
      expect(() => new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>)).not.toThrow();
      expect(done.request.headers['webhook-signature']).toBe('[redacted]');
      expect(JSON.stringify(done)).not.toContain(secret.slice(6));
      await sender.close();
    });
  });
});
