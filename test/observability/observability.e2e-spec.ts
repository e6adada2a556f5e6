import { randomBytes, randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import {
  eventually,
  sampleMessageReceived,
  type HeraldApiClient,
  type HeraldProcess,
  type ReceivedRequest,
  type TestEnvironment,
  type WebhookReceiver,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { OtlpCollector, OtlpKind, type CollectedSpan } from './otlp-collector';
import { parseMetrics } from './prometheus-text';

jest.setTimeout(120_000);

/*
 * Issue 7 end to end, on one Herald process (all services, LOG_LEVEL=trace) exporting OTLP/HTTP JSON
 * to a tiny collector in this test. The child process is the production entry point with production
 * wiring (SDK started from the environment before Nest boots, batch export over HTTP), which an
 * in-process InMemorySpanExporter would bypass; it also runs unchanged against a real cluster.
 */
describe('observability: traces, metrics, health and logs', () => {
  let pipeline: Pipeline;
  let env: TestEnvironment;
  let collector: OtlpCollector;
  let receiver: WebhookReceiver;
  let herald: HeraldProcess;
  let producer: Producer;
  let admin: HeraldApiClient;
  let api: HeraldApiClient;
  let workspaceId: string;
  let apiKey: string;
  let endpointSecret: string;
  let endpointId: string;
  /** Every byte the process wrote (HeraldProcess.output keeps only the latest chunks). */
  const output: string[] = [];

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    pipeline = await startPipeline({
      label: 'observability-e2e',
      heraldEnv: {
        LOG_LEVEL: 'trace',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      onHeraldOutput: (chunk) => output.push(chunk),
    });
    ({ env, receiver, herald, producer, admin } = pipeline);
    const failedOnce = new Set<string>();
    receiver.respondWith((request, res) => {
      // /flaky fails the first attempt of each delivery, then succeeds.
      const id = String(request.headers['webhook-id']);
      if (request.path === '/flaky' && !failedOnce.has(id)) {
        failedOnce.add(id);
        res.writeHead(503).end('busy');
        return;
      }
      res.writeHead(200).end('ok');
    });
    ({
      workspaceId,
      apiKey,
      client: api,
    } = await admin.provisionWorkspace(`obs-${randomBytes(3).toString('hex')}`));
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/flaky'),
      eventTypes: ['message.received'],
    });
    endpointSecret = endpoint.secret;
    endpointId = endpoint.id;
  });

  afterAll(async () => {
    await pipeline?.stop();
    await collector?.stop();
  });

  const messageReceived = (id?: string) =>
    sampleMessageReceived(workspaceId, {
      id,
      data: {
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'traced',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    });

  const originTraceId = randomBytes(16).toString('hex');
  const originSpanId = randomBytes(8).toString('hex');
  const event = { id: randomUUID() };
  let received: ReceivedRequest[] = [];

  /** Walks parents from `span` while they were exported; returns the chain, `span` first. */
  function ancestry(span: CollectedSpan): CollectedSpan[] {
    const chain = [span];
    for (let at = span; at.parentSpanId;) {
      const parent = collector.spans.find((s) => s.spanId === at.parentSpanId);
      if (!parent) break;
      chain.push(parent);
      at = parent;
    }
    return chain;
  }

  it('traces a delivery that fails once and then succeeds, from the producer to the receiver', async () => {
    const domainEvent = messageReceived(event.id);
    await producer.send({
      topic: 'domain.messages',
      messages: [
        {
          key: domainEvent.id,
          value: JSON.stringify(domainEvent),
          headers: { traceparent: `00-${originTraceId}-${originSpanId}-01` },
        },
      ],
    });
    received = await receiver.waitFor(2, (r) => r.path === '/flaky', 60_000);

    const attempts = await eventually(async () => {
      const found = collector.spans
        .filter((s) => s.name === 'webhook attempt' && s.links.some((l) => l.spanId === originSpanId))
        .sort((a, b) => Number(a.attributes['webhook.attempt']) - Number(b.attributes['webhook.attempt']));
      const https = found.map((a) =>
        collector.spans.find((s) => s.parentSpanId === a.spanId && s.kind === OtlpKind.client),
      );
      return found.length >= 2 && https.every(Boolean) ? found : undefined;
    }, 30_000);
    const [first, second] = attempts;
    const [http1, http2] = attempts.map((a) =>
      collector.spans.find((s) => s.parentSpanId === a.spanId && s.kind === OtlpKind.client)!,
    );

    // 1-2. The router's process span continues the producer's trace.
    const routerProcess = collector.spans.find(
      (s) =>
        s.name === 'process domain.messages' &&
        s.traceId === originTraceId &&
        s.parentSpanId === originSpanId,
    )!;
    expect(routerProcess).toBeDefined();
    expect(routerProcess.kind).toBe(OtlpKind.consumer);
    expect(routerProcess.service).toBe('herald-router');
    expect(routerProcess.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'domain.messages',
      'messaging.consumer.group.name': 'herald-router',
      'messaging.kafka.message.key': domainEvent.id,
    });
    expect(typeof routerProcess.attributes['messaging.kafka.offset']).toBe('number');
    expect(routerProcess.attributes['messaging.destination.partition.id']).toMatch(/^\d+$/);

    // 3. The first attempt is in the origin trace, below the router's process span.
    expect(first.attributes).toMatchObject({
      'webhook.attempt': 1,
      'webhook.event.type': 'message.received',
      'webhook.delivery.id': String(received[0].headers['webhook-id']),
    });
    expect(first.attributes['webhook.endpoint.id']).toEqual(expect.any(String));
    expect(first.service).toBe('herald-dispatcher');
    expect(first.traceId).toBe(originTraceId);
    const chain = ancestry(first);
    expect(chain.map((s) => s.spanId)).toContain(routerProcess.spanId);
    expect(chain.some((s) => s.kind === OtlpKind.producer && s.name === 'send herald.deliveries')).toBe(true);

    // The retry is its own trace, linked to the origin and to the attempt that failed.
    expect(second.attributes).toMatchObject({
      'webhook.attempt': 2,
      'webhook.delivery.id': first.attributes['webhook.delivery.id'],
    });
    expect(second.traceId).not.toBe(originTraceId);
    const links = Object.fromEntries(second.links.map((l) => [String(l.attributes['herald.link.type']), l]));
    expect(links.origin).toMatchObject({ traceId: originTraceId, spanId: originSpanId });
    expect(links.previous_attempt).toMatchObject({ traceId: first.traceId, spanId: first.spanId });

    // 4. HTTP client spans, with the HTTP conventions.
    for (const [span, status] of [
      [http1, 503],
      [http2, 200],
    ] as const) {
      expect(span.name).toBe('POST');
      expect(span.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.full': receiver.url('/flaky'),
        'server.address': '127.0.0.1',
        'server.port': receiver.port,
        'http.response.status_code': status,
      });
    }
    expect(http1.attributes['error.type']).toBe('503');
    expect(http2.attributes['error.type']).toBeUndefined();
    expect(http2.attributes['http.request.resend_count']).toBe(1);

    // 5. Each receiver request carries the traceparent of its HTTP client span.
    expect(received[0].headers.traceparent).toBe(`00-${http1.traceId}-${http1.spanId}-01`);
    expect(received[1].headers.traceparent).toBe(`00-${http2.traceId}-${http2.spanId}-01`);

    // Lookup: the API's attempt records carry the attempt spans' ids.
    const detail = await eventually(async () => {
      const res = await api.call<{
        attempts: { attempt: number; traceId: string | null; spanId: string | null }[];
      }>(
        'GET',
        `/v1/workspaces/${workspaceId}/deliveries/${String(first.attributes['webhook.delivery.id'])}`,
      );
      return res.attempts.length >= 2 ? res : undefined;
    });
    const byNumber = new Map(detail.attempts.map((a) => [a.attempt, a]));
    expect(byNumber.get(1)?.traceId).toBe(first.traceId);
    expect(byNumber.get(2)?.traceId).toBe(second.traceId);
  });

  it('exposes the Herald series on /metrics after traffic', async () => {
    await producer.send({ topic: 'domain.messages', messages: [{ key: 'bad', value: '{not json' }] });
    const series = await eventually(async () => {
      const text = await (await fetch(`${herald.apiUrl}/metrics`)).text();
      const parsed = parseMetrics(text);
      return (parsed.get('herald_invalid_events_total{reason="invalid_json"}') ?? 0) >= 1
        ? parsed
        : undefined;
    });
    const sum = (prefix: string) =>
      [...series].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
    expect(series.get('herald_deliveries_total{outcome="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(series.get('herald_deliveries_total{outcome="retry_scheduled"}')).toBeGreaterThanOrEqual(1);
    expect(sum('herald_delivery_attempts_total{status_class="5xx"')).toBeGreaterThanOrEqual(1);
    expect(sum('herald_delivery_attempts_total{status_class="2xx"')).toBeGreaterThanOrEqual(1);
    expect(sum('herald_delivery_attempt_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(series.get('herald_delivery_end_to_end_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(series.has('herald_consumer_lag{group="herald-router",topic="domain.messages"}')).toBe(true);
    expect([...series.keys()].some((k) => k.startsWith('herald_retry_tier_depth{tier='))).toBe(true);
    expect([...series.keys()].some((k) => k.startsWith('herald_retry_tier_lag_seconds{tier='))).toBe(true);
    expect(sum('herald_scheduler_due_lateness_seconds_count')).toBeGreaterThanOrEqual(1);
    expect([...series.keys()].some((k) => k.startsWith('herald_circuit_breakers{state='))).toBe(true);
    // Bounded cardinality: no endpoint or delivery ids in label values unless opted in.
    expect(
      [...series.keys()].filter((k) => k.startsWith('herald_') && /endpoint_id|delivery_id/.test(k)),
    ).toEqual([]);
  });

  it('answers /health/live and /health/ready with Kafka and Postgres checked', async () => {
    const live = await fetch(`${herald.apiUrl}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${herald.apiUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; details: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    const names = Object.keys(body.details);
    expect(names.some((n) => /kafka$/.test(n))).toBe(true);
    expect(names.some((n) => /postgres$/.test(n))).toBe(true);
    expect(Object.values(body.details).every((d) => d.status === 'up')).toBe(true);
  });

  it('logs JSON lines with trace ids, and never a secret, key or signature', async () => {
    // Exercise paths that handle secrets: reveal, rotate, a signed test send, a delivery signed with
    // two keys, and a rejected key.
    const base = `/v1/workspaces/${workspaceId}/endpoints/${endpointId}`;
    const revealed = await api.call<{ secret: string }>('GET', `${base}/secret`);
    const rotated = await api.call<{ secret: string }>('POST', `${base}/secret/rotate`, {
      gracePeriod: '1h',
    });
    await api.request('POST', `${base}/test`);
    // Signed with both keys: the dispatcher catches up to the rotated snapshot the router matched.
    const later = messageReceived();
    await producer.send({
      topic: 'domain.messages',
      messages: [{ key: later.id, value: JSON.stringify(later) }],
    });
    await receiver.waitFor(1, (r) => r.body.toString('utf8').includes(later.id), 60_000);
    await admin.withToken(`${apiKey}x`).request('GET', `/v1/workspaces/${workspaceId}/endpoints`);
    await new Promise((r) => setTimeout(r, 500));

    const text = output.join('');
    const lines = text.split('\n').filter((line) => line.trim());
    const json = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(json.length).toBeGreaterThan(20);
    // Everything but the runner's own one-line notices is JSON.
    expect(lines.filter((line) => !line.startsWith('{') && !line.startsWith('herald: '))).toEqual([]);
    const traced = json.filter(
      (line) => typeof line.trace_id === 'string' && typeof line.span_id === 'string',
    );
    expect(traced.length).toBeGreaterThan(0);
    const exportedTraces = new Set(collector.spans.map((s) => s.traceId));
    expect(traced.some((line) => exportedTraces.has(String(line.trace_id)))).toBe(true);
    const services = new Set(json.map((line) => line.service).filter(Boolean));
    expect(services).toEqual(
      new Set(
        [...services].filter((s) =>
          ['api', 'router', 'dispatcher', 'scheduler', 'projector'].includes(String(s)),
        ),
      ),
    );

    const signatures = receiver.requests.flatMap((r) =>
      String(r.headers['webhook-signature'] ?? '')
        .split(' ')
        .map((part) => part.split(',')[1])
        .filter(Boolean),
    );
    expect(signatures.length).toBeGreaterThan(0);
    // The later delivery was signed with both keys of the rotation.
    expect(
      receiver.requests.some((r) => String(r.headers['webhook-signature']).split(' ').length === 2),
    ).toBe(true);
    const secrets = {
      adminToken: env.heraldEnv().HERALD_ADMIN_TOKEN,
      masterKey: env.heraldEnv().HERALD_MASTER_KEY,
      apiKey,
      apiKeyBody: apiKey.slice(10),
      endpointSecret,
      endpointSecretBody: endpointSecret.replace(/^whsec_/, ''),
      revealedSecret: revealed.secret,
      rotatedSecret: rotated.secret,
      rotatedSecretBody: rotated.secret.replace(/^whsec_/, ''),
      ...Object.fromEntries(signatures.map((s, i) => [`signature${i}`, s])),
    };
    const exported = JSON.stringify(collector.spans);
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, inLogs: text.includes(value), inSpans: exported.includes(value) }).toEqual({
        name,
        inLogs: false,
        inSpans: false,
      });
    }
  });
});
