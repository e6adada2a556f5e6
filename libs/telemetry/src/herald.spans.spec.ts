import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import {
  endHttpClientSpan,
  LINK_TYPE_ATTRIBUTE,
  runInSpan,
  scrubUrl,
  startAttemptSpan,
  startConsumerSpan,
  startHttpClientSpan,
  startProducerSpan,
  traced,
} from './herald.spans';
import { runAsService } from './service-scope';
import { injectTraceparent, spanContextFromTraceparent, spanIds } from './trace-context';
import { heraldTracer, startTelemetry, type TelemetryHandle } from './telemetry.sdk';

const ORIGIN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('herald spans', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: TelemetryHandle;

  beforeAll(() => {
    telemetry = startTelemetry(['router', 'dispatcher'], { exporter, simpleProcessor: true, env: {} });
  });
  afterAll(() => telemetry.shutdown());
  beforeEach(() => exporter.reset());

  it('continues the producer trace in a process span with messaging attributes', () => {
    const span = runAsService('router', () =>
      startConsumerSpan({
        topic: 'domain.leads',
        partition: 2,
        group: 'herald-router',
        offset: '41',
        key: 'ws_1',
        traceparent: ORIGIN,
      }),
    );
    span.end();
    const [done] = exporter.getFinishedSpans();
    expect(done.name).toBe('process domain.leads');
    expect(done.kind).toBe(SpanKind.CONSUMER);
    expect(done.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(done.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(done.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'domain.leads',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 41,
      'messaging.consumer.group.name': 'herald-router',
      'messaging.kafka.message.key': 'ws_1',
    });
    expect(done.resource.attributes['service.name']).toBe('herald-router');
  });

  it('parents a send span on the active span and injects its traceparent', () => {
    const parent = startConsumerSpan({
      topic: 'domain.leads',
      partition: 0,
      group: 'g',
      offset: '1',
      traceparent: ORIGIN,
    });
    const header = runInSpan(parent, () => {
      const send = startProducerSpan({ topic: 'herald.deliveries', key: 'ep_1' });
      const tp = injectTraceparent(send);
      send.end();
      return tp;
    });
    parent.end();
    const send = exporter.getFinishedSpans().find((s) => s.name === 'send herald.deliveries')!;
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(header).toBe(`00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`);
  });

  it('links a retry, in the trace of its forwarding, to the origin and the previous attempt', () => {
    const previous = '00-11111111111111111111111111111111-2222222222222222-01';
    const forwarded = '00-33333333333333333333333333333333-4444444444444444-01';
    const parent = startConsumerSpan({
      topic: 'herald.deliveries',
      partition: 0,
      group: 'g',
      offset: '9',
      traceparent: forwarded,
    });
    const attempt = runInSpan(parent, () =>
      startAttemptSpan({
        deliveryId: 'dlv_1',
        attempt: 2,
        endpointId: 'ep_1',
        eventType: 'lead.created',
        originTraceparent: ORIGIN,
        previousAttemptTraceparent: previous,
      }),
    );
    attempt.end();
    parent.end();
    const done = exporter.getFinishedSpans().find((s) => s.name === 'webhook attempt')!;
    expect(done.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(done.spanContext().traceId).toBe('33333333333333333333333333333333');
    expect(done.links.map((l) => [l.context.spanId, l.attributes?.[LINK_TYPE_ATTRIBUTE]])).toEqual([
      ['b7ad6b7169203331', 'origin'],
      ['2222222222222222', 'previous_attempt'],
    ]);
    expect(done.attributes).toMatchObject({
      'webhook.delivery.id': 'dlv_1',
      'webhook.attempt': 2,
      'webhook.endpoint.id': 'ep_1',
      'webhook.event.type': 'lead.created',
    });
  });

  it('keeps a first attempt inside the trace that requested it', () => {
    const parent = startConsumerSpan({
      topic: 'herald.deliveries',
      partition: 0,
      group: 'g',
      offset: '1',
      traceparent: ORIGIN,
    });
    const attempt = runInSpan(parent, () =>
      startAttemptSpan({
        deliveryId: 'd',
        attempt: 1,
        endpointId: 'e',
        eventType: 't',
        originTraceparent: ORIGIN,
      }),
    );
    expect(attempt.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(spanIds(attempt)).toEqual({
      traceId: attempt.spanContext().traceId,
      spanId: attempt.spanContext().spanId,
    });
  });

  it('describes the HTTP client call and marks failures', () => {
    const span = startHttpClientSpan({
      method: 'post',
      url: 'https://user:pw@hooks.example.com:8443/in?token=abc',
      resendCount: 2,
    });
    endHttpClientSpan(span, { statusCode: 503 });
    const [done] = exporter.getFinishedSpans();
    expect(done.name).toBe('POST');
    expect(done.kind).toBe(SpanKind.CLIENT);
    expect(done.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': 'https://hooks.example.com:8443/in?token=REDACTED',
      'server.address': 'hooks.example.com',
      'server.port': 8443,
      'http.request.resend_count': 2,
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(done.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records a thrown error and ends the span', async () => {
    const span = heraldTracer().startSpan('work');
    await expect(
      traced(span, async () => {
        throw new TypeError('boom');
      }),
    ).rejects.toThrow('boom');
    const [done] = exporter.getFinishedSpans();
    expect(done.status.code).toBe(SpanStatusCode.ERROR);
    expect(done.attributes['error.type']).toBe('TypeError');
  });

  it('reads traceparent values and rejects malformed ones', () => {
    expect(spanContextFromTraceparent(ORIGIN)?.spanId).toBe('b7ad6b7169203331');
    expect(spanContextFromTraceparent('garbage')).toBeUndefined();
    expect(spanContextFromTraceparent(undefined)).toBeUndefined();
  });

  it('drops credentials and query values from url.full', () => {
    expect(scrubUrl('http://a:b@h/p?x=1&x=2&y=3')).toBe('http://h/p?x=REDACTED&y=REDACTED');
    expect(scrubUrl('not a url')).toBe('[invalid url]');
  });
});

describe('with tracing off', () => {
  it('registers nothing and hands out non-recording spans', () => {
    const handle = startTelemetry('router', { env: {} });
    expect(handle.enabled).toBe(false);
    const span = startAttemptSpan({
      deliveryId: 'd',
      attempt: 3,
      endpointId: 'e',
      eventType: 't',
      originTraceparent: ORIGIN,
    });
    expect(span.isRecording()).toBe(false);
    expect(injectTraceparent(span)).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('stops on an invalid sampling ratio with the variable named', () => {
    expect(() =>
      startTelemetry('router', {
        env: { OTEL_TRACES_SAMPLER_ARG: '2', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      }),
    ).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });
});
