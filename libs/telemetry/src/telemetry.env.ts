import { z } from 'zod';
import { envBool } from '@herald/config';

const optionalUrl = z
  .string()
  .optional()
  .transform((text) => (text?.trim() ? text.trim() : undefined))
  .pipe(z.url({ message: 'expected an http(s) URL' }).optional());

/** Tracing and metrics settings; the OTEL_* names follow the OpenTelemetry SDK conventions. */
export const telemetryEnv = z.object({
  /** Base OTLP/HTTP endpoint (`/v1/traces` is appended). Unset: tracing stays off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Full traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  /** Ratio of new traces sampled (parent-based: a sampled parent is always followed). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** service.name in a single-service process; all-in-one processes use herald-<service> per service. */
  OTEL_SERVICE_NAME: z.string().optional(),
  OTEL_SDK_DISABLED: envBool(false),
  /** Adds endpoint_id labels to a few series; unbounded cardinality, so off by default. */
  HERALD_METRICS_ENDPOINT_LABELS: envBool(false),
});

export type TelemetryEnv = z.infer<typeof telemetryEnv>;
