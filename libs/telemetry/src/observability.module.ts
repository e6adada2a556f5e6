import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness.registry';
import { REDACTED_LOG_PATHS } from './log-redaction';

export interface ObservabilityOptions {
  service: string;
  logLevel?: string;
  /** Serve /health and /metrics from this app (false when another app in the process does). */
  httpEndpoints?: boolean;
}

/** JSON logs, health and metrics for one service. */
@Global()
@Module({})
export class ObservabilityModule {
  static forService(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
            base: { service: options.service },
            redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
            autoLogging: false,
          },
        }),
      ],
      controllers: options.httpEndpoints === false ? [] : [HealthController, MetricsController],
      providers: [ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }
}
