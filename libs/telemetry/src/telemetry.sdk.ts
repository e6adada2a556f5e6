import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { loadConfig } from '@herald/config';
import { currentService } from './service-scope';
import { registerSecretValue } from './log-redaction';
import { telemetryEnv } from './telemetry.env';
import { configureEndpointLabels } from './herald.metrics';

const TRACER_NAME = 'herald';

export interface TelemetryOptions {
  /** Export here instead of OTLP (tests plug an InMemorySpanExporter); turns tracing on. */
  exporter?: SpanExporter;
  /** Export each span as it ends instead of batching (tests). */
  simpleProcessor?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface TelemetryHandle {
  /** False when no exporter is configured: the API's no-op tracer is in use. */
  readonly enabled: boolean;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const OFF: TelemetryHandle = {
  enabled: false,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

let running:
  | { handle: TelemetryHandle; providers: Map<string, NodeTracerProvider>; fallback: NodeTracerProvider }
  | undefined;

/**
 * Starts tracing before Nest boots. One tracer provider per service, so spans carry the right
 * service.name even when several services share the process; the first is registered globally for
 * work outside any service scope. Without OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT (or a test exporter),
 * nothing is registered and every helper runs on the API's no-op tracer.
 */
export function startTelemetry(
  services: string | readonly string[],
  options: TelemetryOptions = {},
): TelemetryHandle {
  if (running) return running.handle;
  const env = loadConfig(telemetryEnv, options.env);
  configureEndpointLabels(env.HERALD_METRICS_ENDPOINT_LABELS);
  protectEnvironmentSecrets(options.env ?? process.env);
  const url =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
      : undefined);
  if (env.OTEL_SDK_DISABLED || (!options.exporter && !url)) return OFF;

  const names = typeof services === 'string' ? [services] : [...services];
  const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG) });
  const exporter = options.exporter ?? new OTLPTraceExporter({ url });
  const processor = options.simpleProcessor
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(exporter);
  const serviceName = (name: string) =>
    names.length === 1 && env.OTEL_SERVICE_NAME ? env.OTEL_SERVICE_NAME : `herald-${name}`;
  // OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment.name) apply; service.name is ours.
  const detected = detectResources({ detectors: [envDetector] });
  const providerFor = (name: string) =>
    new NodeTracerProvider({
      resource: detected.merge(
        resourceFromAttributes({ 'service.name': name, 'service.namespace': 'herald' }),
      ),
      sampler,
      // One processor shared by every provider: one export queue, one flush on shutdown.
      spanProcessors: [processor],
    });

  const providers = new Map(names.map((name) => [name, providerFor(serviceName(name))]));
  const fallback =
    names.length === 1 ? providers.get(names[0])! : providerFor(env.OTEL_SERVICE_NAME ?? 'herald');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(fallback);

  const handle: TelemetryHandle = {
    enabled: true,
    forceFlush: () => processor.forceFlush(),
    async shutdown() {
      if (running?.handle !== handle) return;
      running = undefined;
      await processor.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  running = { handle, providers, fallback };
  return handle;
}

/** Whether spans are recorded; helpers return a shared no-op span without any work when not. */
export function tracingEnabled(): boolean {
  return running !== undefined;
}

/** The tracer of the service the current work belongs to (a no-op tracer while tracing is off). */
export function heraldTracer(): Tracer {
  if (!running) return trace.getTracer(TRACER_NAME);
  const service = currentService();
  const provider = (service && running.providers.get(service)) || running.fallback;
  return provider.getTracer(TRACER_NAME);
}

const SECRET_VARIABLE = /TOKEN|SECRET|PASSWORD|MASTER_KEY|API_KEY|PRIVATE_KEY/i;

/** Configured secrets (admin token, master key, SASL password) are scrubbed from every log line. */
function protectEnvironmentSecrets(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_VARIABLE.test(name)) registerSecretValue(value);
  }
}
