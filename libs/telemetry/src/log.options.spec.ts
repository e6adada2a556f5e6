import { Writable } from 'node:stream';
import pino from 'pino';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { heraldLoggerParams } from './log.options';
import { registerSecretValue, scrubSecrets } from './log-redaction';
import { runInSpan } from './herald.spans';
import { registerServiceInProcess, runAsService } from './service-scope';
import { heraldTracer, startTelemetry } from './telemetry.sdk';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const params = heraldLoggerParams('trace').pinoHttp as pino.LoggerOptions;
  const logger = pino(params, stream);
  return {
    logger,
    raw: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('herald log options', () => {
  it('redacts secret fields, headers, and secret-shaped text', () => {
    const { logger, raw } = capture();
    logger.info(
      {
        endpoint: { signingSecret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0', url: 'https://x' },
        req: { headers: { authorization: 'Bearer abcdefgh12345', 'webhook-signature': 'v1,abc' } },
        request: { headers: { 'x-nexadesk-signature': 'sha256=00ff' } },
        apiKey: 'hk_live_123456789',
      },
      'sent with webhook-signature v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= using whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    );
    logger.error(new Error('auth failed for Bearer sk_live_abcdefghijk'));
    logger.warn({ context: 'Auth' }, 'unknown key hk_Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eA rejected');
    const text = raw();
    for (const secret of [
      'c2VjcmV0c2VjcmV0',
      'abcdefgh12345',
      'v1,abc',
      '00ff',
      'hk_live_123456789',
      'K5oZfzN95Z9',
      'MfKQ9r8GKYq',
      'sk_live_abcdefghijk',
      'Zm9vYmFyYmF6',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('https://x');
  });

  it('redacts literal values registered at start-up', () => {
    registerSecretValue('test-admin-token');
    expect(scrubSecrets('token test-admin-token used')).toBe('token [redacted] used');
  });

  it('names the service of the scope and the active span ids', async () => {
    registerServiceInProcess('router');
    registerServiceInProcess('dispatcher');
    const telemetry = startTelemetry('dispatcher', { exporter: new InMemorySpanExporter(), env: {} });
    try {
      const { logger, lines } = capture();
      logger.info('outside');
      const span = heraldTracer().startSpan('x');
      runAsService('dispatcher', () => runInSpan(span, () => logger.info('inside')));
      span.end();
      const [outside, inside] = lines();
      expect(outside.service).toBeUndefined();
      expect(outside.trace_id).toBeUndefined();
      expect(inside).toMatchObject({
        service: 'dispatcher',
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
      });
    } finally {
      await telemetry.shutdown();
    }
  });
});
