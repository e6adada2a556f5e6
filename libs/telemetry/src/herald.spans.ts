import {
  type Attributes,
  type Context,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  trace,
  INVALID_SPAN_CONTEXT,
} from '@opentelemetry/api';
import { contextFromTraceparent, isSpan, linkFromTraceparent } from './trace-context';
import { heraldTracer, tracingEnabled } from './telemetry.sdk';

// Handed out while tracing is off: building attributes and parsing headers would cost per message.
const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Custom attributes on delivery spans. */
export const WebhookAttributes = {
  deliveryId: 'webhook.delivery.id',
  attempt: 'webhook.attempt',
  endpointId: 'webhook.endpoint.id',
  eventType: 'webhook.event.type',
} as const;

/** Marks what a span link points at: the producer's context or the previous attempt. */
export const LINK_TYPE_ATTRIBUTE = 'herald.link.type';

function parentContext(parent: Span | Context | undefined): Context {
  if (parent === undefined) return otelContext.active();
  return isSpan(parent) ? trace.setSpan(otelContext.active(), parent) : parent;
}

export interface ConsumerSpanOptions {
  topic: string;
  partition: number;
  group: string;
  /** Offset of the single message processed; omit for a batch span. */
  offset?: string;
  /** Key of the single message processed. */
  key?: string | Buffer | null;
  /** The record's `traceparent` header: the span continues the producer's trace. */
  traceparent?: string | null;
  /** For batch spans: the traceparents of the messages, linked rather than parented. */
  linkTraceparents?: readonly (string | null | undefined)[];
  messageCount?: number;
  attributes?: Attributes;
}

/** CONSUMER span `process <topic>` following the messaging semantic conventions. */
export function startConsumerSpan(options: ConsumerSpanOptions): Span {
  if (!tracingEnabled()) return NOOP_SPAN;
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': options.topic,
    'messaging.destination.partition.id': String(options.partition),
    'messaging.consumer.group.name': options.group,
    ...options.attributes,
  };
  if (options.offset !== undefined) attributes['messaging.kafka.offset'] = Number(options.offset);
  if (options.key !== undefined && options.key !== null && options.offset !== undefined) {
    attributes['messaging.kafka.message.key'] = options.key.toString();
  }
  if (options.messageCount !== undefined) attributes['messaging.batch.message_count'] = options.messageCount;
  const links = (options.linkTraceparents ?? [])
    .map((tp) => linkFromTraceparent(tp))
    .filter((l): l is Link => !!l);
  return heraldTracer().startSpan(
    `process ${options.topic}`,
    { kind: SpanKind.CONSUMER, attributes, links },
    contextFromTraceparent(options.traceparent),
  );
}

export interface ProducerSpanOptions {
  topic: string;
  partition?: number;
  key?: string | null;
  messageCount?: number;
  parent?: Span | Context;
  attributes?: Attributes;
}

/**
 * PRODUCER span `send <topic>`, a child of the active (or given) span. Put
 * `injectTraceparent(span)` in the record's `traceparent` header.
 */
export function startProducerSpan(options: ProducerSpanOptions): Span {
  if (!tracingEnabled()) return NOOP_SPAN;
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'send',
    'messaging.destination.name': options.topic,
    ...options.attributes,
  };
  if (options.partition !== undefined)
    attributes['messaging.destination.partition.id'] = String(options.partition);
  if (options.key) attributes['messaging.kafka.message.key'] = options.key;
  if (options.messageCount !== undefined && options.messageCount > 1) {
    attributes['messaging.batch.message_count'] = options.messageCount;
  }
  return heraldTracer().startSpan(
    `send ${options.topic}`,
    { kind: SpanKind.PRODUCER, attributes },
    parentContext(options.parent),
  );
}

export interface AttemptSpanOptions {
  deliveryId: string;
  attempt: number;
  endpointId: string;
  eventType: string;
  /** `herald-origin-traceparent`: the domain event producer's context, copied through every retry. */
  originTraceparent?: string | null;
  /** `herald-previous-attempt-traceparent`: the previous attempt's span. */
  previousAttemptTraceparent?: string | null;
  /**
   * Parent: the active span by default, i.e. the process span of the DeliveryRequested record. A
   * retry's record is forwarded by the scheduler when due, from a tier record that carries no
   * `traceparent` (only the origin and previous-attempt headers), so a retry's trace starts when it
   * falls due and reaches the origin and the previous attempt through links, never through parents.
   */
  parent?: Span | Context;
  /** Start a new trace regardless of the active span. */
  root?: boolean;
  attributes?: Attributes;
}

/** INTERNAL span `webhook attempt` for one delivery attempt, linked to its origin and previous attempt. */
export function startAttemptSpan(options: AttemptSpanOptions): Span {
  if (!tracingEnabled()) return NOOP_SPAN;
  const links: Link[] = [];
  const origin = linkFromTraceparent(options.originTraceparent, { [LINK_TYPE_ATTRIBUTE]: 'origin' });
  if (origin) links.push(origin);
  const previous = linkFromTraceparent(options.previousAttemptTraceparent, {
    [LINK_TYPE_ATTRIBUTE]: 'previous_attempt',
  });
  if (previous) links.push(previous);
  return heraldTracer().startSpan(
    'webhook attempt',
    {
      kind: SpanKind.INTERNAL,
      root: options.root,
      links,
      attributes: {
        [WebhookAttributes.deliveryId]: options.deliveryId,
        [WebhookAttributes.attempt]: options.attempt,
        [WebhookAttributes.endpointId]: options.endpointId,
        [WebhookAttributes.eventType]: options.eventType,
        ...options.attributes,
      },
    },
    parentContext(options.parent),
  );
}

export interface HttpClientSpanOptions {
  method: string;
  url: string;
  /** 0 for the first physical attempt; set only on resends. */
  resendCount?: number;
  parent?: Span | Context;
  attributes?: Attributes;
}

/** URL for `url.full`: credentials dropped and query values redacted, since webhook URLs often carry tokens. */
export function scrubUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, 'REDACTED');
    return url.toString();
  } catch {
    return '[invalid url]';
  }
}

/** CLIENT span named by the HTTP method, with HTTP semantic-convention attributes. */
export function startHttpClientSpan(options: HttpClientSpanOptions): Span {
  if (!tracingEnabled()) return NOOP_SPAN;
  const method = options.method.toUpperCase();
  const attributes: Attributes = {
    'http.request.method': method,
    'url.full': scrubUrl(options.url),
    ...options.attributes,
  };
  try {
    const url = new URL(options.url);
    attributes['server.address'] = url.hostname.replace(/^\[|\]$/g, '');
    attributes['server.port'] = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  } catch {
    // an unparsable URL has no server; url.full says so
  }
  if (options.resendCount !== undefined && options.resendCount > 0)
    attributes['http.request.resend_count'] = options.resendCount;
  return heraldTracer().startSpan(
    method,
    { kind: SpanKind.CLIENT, attributes },
    parentContext(options.parent),
  );
}

/**
 * Ends an HTTP client span with its outcome: a status code, or an error type (e.g. the attempt's
 * error class `timeout`, `dns`). Status >= 400 marks the span as an error, as the conventions ask.
 */
export function endHttpClientSpan(
  span: Span,
  outcome: { statusCode?: number | null; errorType?: string | null; message?: string },
): void {
  if (span === NOOP_SPAN) return;
  if (outcome.statusCode !== undefined && outcome.statusCode !== null) {
    span.setAttribute('http.response.status_code', outcome.statusCode);
  }
  const errorType =
    outcome.errorType ??
    (outcome.statusCode && outcome.statusCode >= 400 ? String(outcome.statusCode) : undefined);
  if (errorType) {
    span.setAttribute('error.type', errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.message });
  }
  span.end();
}

/** Runs `fn` with `span` active, so child spans, logs and injectTraceparent() see it. */
export function runInSpan<T>(span: Span, fn: () => T): T {
  if (span === NOOP_SPAN) return fn();
  return otelContext.with(trace.setSpan(otelContext.active(), span), fn);
}

/** Runs `fn` in `span`, records a thrown error on it, and ends it. */
export async function traced<T>(span: Span, fn: (span: Span) => Promise<T> | T): Promise<T> {
  try {
    return await runInSpan(span, () => fn(span));
  } catch (error) {
    recordSpanError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed with an error's type and message (never its payload). */
export function recordSpanError(span: Span, error: unknown, errorType?: string): void {
  if (!span.isRecording()) return;
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setAttribute('error.type', errorType ?? err.name ?? 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}
