import {
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
  ROOT_CONTEXT,
  context as otelContext,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/*
 * W3C trace context on Herald's own terms: a `traceparent` string in, a Context out, and back. Used
 * directly rather than through the global propagator, so Kafka headers work whether or not the SDK
 * (or any instrumentation that rewrites `traceparent`) is present.
 */
const w3c = new W3CTraceContextPropagator();

const getter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** `base` (the root context by default) carrying the remote span named by a traceparent value. */
export function contextFromTraceparent(
  traceparent: string | null | undefined,
  base: Context = ROOT_CONTEXT,
): Context {
  if (!traceparent) return base;
  return w3c.extract(base, { traceparent }, getter);
}

/** The remote span context in a traceparent value, or undefined when absent or malformed. */
export function spanContextFromTraceparent(traceparent: string | null | undefined): SpanContext | undefined {
  if (!traceparent) return undefined;
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The traceparent for the active span, or for a given span or context: what goes onto Kafka records
 * and to receivers. Undefined when there is no valid span (e.g. tracing is off and nothing is active).
 */
export function injectTraceparent(from?: Span | Context): string | undefined {
  if (isSpan(from) && !isSpanContextValid(from.spanContext())) return undefined;
  const ctx =
    from === undefined ? otelContext.active() : isSpan(from) ? trace.setSpan(ROOT_CONTEXT, from) : from;
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, setter);
  return carrier.traceparent;
}

/** A span link to the context in a traceparent value, if it is valid. */
export function linkFromTraceparent(
  traceparent: string | null | undefined,
  attributes?: Link['attributes'],
): Link | undefined {
  const spanContext = spanContextFromTraceparent(traceparent);
  return spanContext ? { context: spanContext, attributes } : undefined;
}

/** Trace and span id of a span, for AttemptRecorded and logs; nulls when the span carries none. */
export function spanIds(span: Span | undefined): { traceId: string | null; spanId: string | null } {
  const spanContext = span?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return { traceId: null, spanId: null };
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

export function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && typeof (value as Span).spanContext === 'function';
}
