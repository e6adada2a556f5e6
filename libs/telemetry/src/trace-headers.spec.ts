import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { startProducerSpan, startAttemptSpan } from './herald.spans';
import { continuingTraceHeaders, retryTraceHeaders } from './trace-headers';
import { startTelemetry } from './telemetry.sdk';

const ORIGIN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('trace headers', () => {
  it('pass the origin on as traceparent while tracing is off', () => {
    const send = startProducerSpan({ topic: 'herald.deliveries' });
    expect(continuingTraceHeaders(send, ORIGIN)).toEqual({
      traceparent: ORIGIN,
      'herald-origin-traceparent': ORIGIN,
    });
    expect(
      retryTraceHeaders(
        startAttemptSpan({ deliveryId: 'd', attempt: 1, endpointId: 'e', eventType: 't' }),
        ORIGIN,
      ),
    ).toEqual({
      'herald-origin-traceparent': ORIGIN,
    });
  });

  it('carry the send span and the failed attempt while tracing is on', async () => {
    const telemetry = startTelemetry('router', { exporter: new InMemorySpanExporter(), env: {} });
    try {
      const send = startProducerSpan({ topic: 'herald.deliveries' });
      const { traceId, spanId } = send.spanContext();
      expect(continuingTraceHeaders(send, ORIGIN)).toEqual({
        traceparent: `00-${traceId}-${spanId}-01`,
        'herald-origin-traceparent': ORIGIN,
      });
      const attempt = startAttemptSpan({ deliveryId: 'd', attempt: 1, endpointId: 'e', eventType: 't' });
      const retry = retryTraceHeaders(attempt, ORIGIN);
      expect(retry).toEqual({
        'herald-origin-traceparent': ORIGIN,
        'herald-previous-attempt-traceparent': `00-${attempt.spanContext().traceId}-${attempt.spanContext().spanId}-01`,
      });
      expect(retry.traceparent).toBeUndefined();
    } finally {
      await telemetry.shutdown();
    }
  });
});
