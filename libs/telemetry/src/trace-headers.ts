import type { Span } from '@opentelemetry/api';
import { KafkaHeaders } from '@herald/contracts';
import { injectTraceparent } from './trace-context';

/**
 * Trace headers for a record that continues the current work now (e.g. a DeliveryRequested from the
 * router, or a due retry forwarded by the scheduler): `traceparent` of the send span, and the origin
 * copied unchanged. With tracing off the origin is passed on as `traceparent`, so receivers still
 * see the producer's trace.
 */
export function continuingTraceHeaders(
  sendSpan: Span | undefined,
  originTraceparent: string | null | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const traceparent = (sendSpan ? injectTraceparent(sendSpan) : injectTraceparent()) ?? originTraceparent;
  if (traceparent) headers[KafkaHeaders.traceparent] = traceparent;
  if (originTraceparent) headers[KafkaHeaders.originTraceparent] = originTraceparent;
  return headers;
}

/**
 * Trace headers for a retry-tier record: no `traceparent` (the retry's trace starts when it falls
 * due), the origin copied unchanged, and the attempt that failed, for the next attempt's link.
 */
export function retryTraceHeaders(
  attemptSpan: Span | undefined,
  originTraceparent: string | null | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (originTraceparent) headers[KafkaHeaders.originTraceparent] = originTraceparent;
  const previous = attemptSpan ? injectTraceparent(attemptSpan) : undefined;
  if (previous) headers[KafkaHeaders.previousAttemptTraceparent] = previous;
  return headers;
}
