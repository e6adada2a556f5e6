import { isSpanContextValid, trace } from '@opentelemetry/api';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { REDACTED_LOG_PATHS, scrubSecrets } from './log-redaction';
import { currentService } from './service-scope';

/**
 * Fields added to every log line: the service the work belongs to (from the service scope, since
 * services sharing a process share pino's root logger) and the active span's ids.
 */
export function logContextFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const service = currentService();
  if (service) fields.service = service;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
  }
  return fields;
}

const DEBUG_LEVELS = new Set(['debug', 'trace']);
let debugLogging = false;

/**
 * Whether debug lines are written, for hot paths that would otherwise build a message on every
 * record only for the logger to drop it. Set when the logger is configured.
 */
export function isDebugLogging(): boolean {
  return debugLogging;
}

/** nestjs-pino parameters: JSON lines, trace ids, redaction of secret fields and secret-shaped text. */
export function heraldLoggerParams(level: string): Params {
  debugLogging = DEBUG_LEVELS.has(level);
  return {
    // Probes and scrapes need no request logger. Binding one runs an AsyncLocalStorage scope, and in
    // Node 20 the first such scope turns on promise hooks for the life of the process: a cost on every
    // promise of the Kafka and HTTP hot path in services whose only HTTP traffic is these routes.
    exclude: ['health/live', 'health/ready', 'metrics'].map((path) => ({ path, method: RequestMethod.GET })),
    pinoHttp: {
      level,
      mixin: logContextFields,
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      hooks: {
        // Free text can carry what path redaction cannot see.
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) args[i] = scrubArg(args[i]);
          method.apply(this, args as Parameters<typeof method>);
        },
      },
      autoLogging: false,
    },
  };
}

function scrubArg(arg: unknown): unknown {
  if (typeof arg === 'string') return scrubSecrets(arg);
  if (arg instanceof Error) {
    scrubError(arg);
    return arg;
  }
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return arg;
  // One level deep: the merge object's own strings and errors; nested fields rely on path redaction.
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(arg)) {
    if (typeof value === 'string') {
      const scrubbed = scrubSecrets(value);
      if (scrubbed !== value) (copy ??= { ...arg })[key] = scrubbed;
    } else if (value instanceof Error) {
      scrubError(value);
    }
  }
  return copy ?? arg;
}

function scrubError(error: Error): void {
  try {
    error.message = scrubSecrets(error.message);
    if (error.stack) error.stack = scrubSecrets(error.stack);
  } catch {
    // frozen errors are logged as they are
  }
}
