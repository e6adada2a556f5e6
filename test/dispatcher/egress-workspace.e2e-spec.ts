import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttemptRecorded, Topics } from '@herald/contracts';
import { generateSigningSecret, SecretCipher } from '@herald/signing';
import {
  type HeraldApiClient,
  KafkaTap,
  sampleEndpointSnapshot,
  sampleMessageReceived,
  type TappedRecord,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * A per-workspace egress allowlist opens a range for that workspace's endpoints only. In production
 * egress mode, workspace A allowlists loopback and reaches an HTTPS receiver on 127.0.0.1; workspace
 * B's identical endpoint is refused when saved and, written straight to herald.subscriptions, when
 * delivered. Emptying A's list republishes A's endpoints, and the very next event is refused.
 */
describe('dispatcher: per-workspace egress allowlist', () => {
  let pipeline: Pipeline;
  let tap: KafkaTap<TappedRecord>;
  let receiver: Server;
  let receiverUrl: string;
  const received: { path: string; webhookId: string }[] = [];
  const certDir = mkdtempSync(join(tmpdir(), 'herald-egress-'));
  const ws: Record<'a' | 'b', { id: string; client: HeraldApiClient }> = {} as never;
  let endpointA: string;
  const endpointB = `ep_b_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // A certificate for 127.0.0.1 that the Herald process trusts (NODE_EXTRA_CA_CERTS): production
    // mode sends HTTPS only.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    receiver = createServer(
      { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
      (req, res) => {
        req.resume();
        req.on('end', () => {
          received.push({ path: req.url ?? '', webhookId: String(req.headers['webhook-id']) });
          res.writeHead(200).end('ok');
        });
      },
    );
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    pipeline = await startPipeline({
      label: 'egress-workspace',
      services: ['api', 'router', 'dispatcher'],
      heraldEnv: {
        HERALD_MODE: 'production',
        HERALD_EGRESS_WORKSPACE_CIDRS: '127.0.0.0/8',
        NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem'),
        HERALD_BREAKER_MIN_ATTEMPTS: '1000',
      },
    });
    tap = await KafkaTap.recording(pipeline.env.kafkaBrokers, [Topics.attempts], 'egress-workspace');
    for (const name of ['a', 'b'] as const) {
      const { workspaceId, client } = await pipeline.admin.provisionWorkspace(
        `egress-${name}-${randomUUID().slice(0, 6)}`,
      );
      ws[name] = { id: workspaceId, client };
    }
  });

  afterAll(async () => {
    await tap?.stop();
    await pipeline?.stop();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    rmSync(certDir, { recursive: true, force: true });
  });

  const allowlistPath = (name: 'a' | 'b') => `/v1/workspaces/${ws[name].id}/egress-allowlist`;

  async function produceEvent(name: 'a' | 'b'): Promise<string> {
    const event = sampleMessageReceived(ws[name].id);
    await pipeline.producer.send({
      topic: 'domain.messages',
      acks: -1,
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    return event.id;
  }

  async function attemptFor(eventId: string): Promise<AttemptRecorded> {
    const [record] = await tap.waitFor(
      1,
      (r) => (JSON.parse(r.value!.toString()) as AttemptRecorded).eventId === eventId,
      30_000,
    );
    return JSON.parse(record.value!.toString()) as AttemptRecorded;
  }

  it('is managed by owners and admins only, validated against the permitted ranges, and listed', async () => {
    expect(await ws.a.client.call('GET', allowlistPath('a'))).toEqual({ cidrs: [] });
    for (const role of ['developer', 'viewer']) {
      const key = await pipeline.admin.createApiKey(ws.a.id, role);
      const res = await ws.a.client.withToken(key.key).request('PUT', allowlistPath('a'), { cidrs: [] });
      expect(res.status).toBe(403);
    }
    const outside = await ws.a.client.request('PUT', allowlistPath('a'), { cidrs: ['10.0.0.0/8'] });
    expect(outside.status).toBe(422);
    expect(JSON.stringify(outside.body)).toMatch(/outside the ranges/);
    const metadata = await ws.a.client.request('PUT', allowlistPath('a'), { cidrs: ['169.254.169.254'] });
    expect(metadata.status).toBe(422);
    // B's key cannot touch A's list.
    expect((await ws.b.client.request('PUT', allowlistPath('a'), { cidrs: ['127.0.0.0/8'] })).status).toBe(
      403,
    );

    const put = await ws.a.client.request('PUT', allowlistPath('a'), { cidrs: ['127.0.0.1/8'] });
    expect(put).toEqual({ status: 200, body: { cidrs: ['127.0.0.0/8'] } });
    expect(await ws.a.client.call('GET', allowlistPath('a'))).toEqual({ cidrs: ['127.0.0.0/8'] });
    expect(await ws.b.client.call('GET', allowlistPath('b'))).toEqual({ cidrs: [] });
  });

  it("saves A's loopback endpoint and refuses B's identical one with a 422 naming the reason", async () => {
    const refused = await ws.b.client.request('POST', `/v1/workspaces/${ws.b.id}/endpoints`, {
      url: receiverUrl,
      eventTypes: ['message.*'],
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toMatch(/127\.0\.0\.1 is a loopback address/);

    const created = await ws.a.client.createEndpoint(ws.a.id, {
      url: receiverUrl,
      eventTypes: ['message.*'],
    });
    endpointA = created.id;
  });

  it("delivers A's event to the loopback receiver and refuses B's endpoint written straight to the topic", async () => {
    const cipher = new SecretCipher(Buffer.alloc(32, 7));
    const now = new Date().toISOString();
    const snapshot = sampleEndpointSnapshot({
      id: endpointB,
      workspaceId: ws.b.id,
      url: receiverUrl,
      eventTypes: ['message.*'],
      retrySchedule: ['1h'],
      secrets: [
        {
          id: 's',
          ciphertext: cipher.encrypt(generateSigningSecret('standard-webhooks').secret),
          createdAt: now,
          expiresAt: null,
        },
      ],
    });
    await pipeline.producer.send({
      topic: Topics.subscriptions,
      acks: -1,
      messages: [{ key: endpointB, value: JSON.stringify(snapshot) }],
    });

    const eventA = await produceEvent('a');
    const eventB = await produceEvent('b');
    const [attemptA, attemptB] = await Promise.all([attemptFor(eventA), attemptFor(eventB)]);
    expect(attemptA).toMatchObject({ endpointId: endpointA, errorClass: null, response: { status: 200 } });
    expect(attemptB).toMatchObject({ endpointId: endpointB, errorClass: 'unsafe_address', response: null });
    expect(received.map((r) => r.webhookId)).toEqual([attemptA.deliveryId]);
  });

  it("emptying A's list republishes its endpoints: the next event is refused", async () => {
    expect(await ws.a.client.call('PUT', allowlistPath('a'), { cidrs: [] })).toEqual({ cidrs: [] });
    const endpoint = await ws.a.client.call<{ version: number }>(
      'GET',
      `/v1/workspaces/${ws.a.id}/endpoints/${endpointA}`,
    );
    expect(endpoint.version).toBe(2);
    const event = await produceEvent('a');
    const attempt = await attemptFor(event);
    expect(attempt).toMatchObject({ endpointId: endpointA, errorClass: 'unsafe_address', response: null });
    expect(received).toHaveLength(1);
  });
});
