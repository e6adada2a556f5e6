import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import {
  endHttpClientSpan,
  injectTraceparent,
  runInSpan,
  spanIds,
  startAttemptSpan,
  startConsumerSpan,
  startHttpClientSpan,
  startTelemetry,
} from '../src/index';

/*
 * What tracing costs one delivery: the helper calls the dispatcher makes per record (process span,
 * attempt span, HTTP span, traceparent, ids), with tracing off and on.
 * Run: npm run build && node dist/libs/telemetry/bench/trace-overhead.bench.js
 */
const ORIGIN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function oneDelivery(): void {
  const process = startConsumerSpan({
    topic: 'herald.deliveries',
    partition: 1,
    group: 'herald-dispatcher',
    offset: '12',
    key: 'ep',
    traceparent: ORIGIN,
  });
  runInSpan(process, () => {
    const attempt = startAttemptSpan({
      deliveryId: 'd',
      attempt: 1,
      endpointId: 'e',
      eventType: 't',
      originTraceparent: ORIGIN,
    });
    runInSpan(attempt, () => {
      const http = startHttpClientSpan({ method: 'POST', url: 'https://example.com/hook' });
      injectTraceparent(http);
      endHttpClientSpan(http, { statusCode: 200 });
    });
    spanIds(attempt);
    attempt.end();
  });
  process.end();
}

function measure(label: string, iterations: number): void {
  for (let i = 0; i < iterations / 10; i++) oneDelivery();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) oneDelivery();
  const micros = Number(process.hrtime.bigint() - started) / iterations / 1000;
  console.log(`${label}: ${micros.toFixed(2)} µs per delivery`);
}

async function main(): Promise<void> {
  measure('tracing off (no exporter configured)', 2_000_000);
  const exporter = new InMemorySpanExporter();
  const telemetry = startTelemetry('dispatcher', { exporter, env: {} });
  measure('tracing on (batch processor, in-memory exporter)', 50_000);
  await telemetry.shutdown();
}

void main();
