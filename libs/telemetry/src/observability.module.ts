import {
  type DynamicModule,
  Global,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  Inject,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness.registry';
import { heraldLoggerParams } from './log.options';
import { registerServiceInProcess, runAsService } from './service-scope';
import { getHeraldMetrics } from './herald.metrics';

export interface ObservabilityOptions {
  service: string;
  logLevel?: string;
  /** Serve /health and /metrics from this app (false when another app in the process does). */
  httpEndpoints?: boolean;
}

const SERVICE_NAME = Symbol('HERALD_OBSERVED_SERVICE');

/** JSON logs with trace ids, health and metrics for one service. */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  constructor(@Inject(SERVICE_NAME) private readonly service: string) {}

  static forService(options: ObservabilityOptions): DynamicModule {
    registerServiceInProcess(options.service);
    getHeraldMetrics();
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule,
        LoggerModule.forRoot(heraldLoggerParams(options.logLevel ?? process.env.LOG_LEVEL ?? 'info')),
      ],
      controllers: options.httpEndpoints === false ? [] : [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: ReadinessRegistry, useFactory: () => new ReadinessRegistry(options.service) },
      ],
      exports: [ReadinessRegistry],
    };
  }

  /** HTTP requests run in this service's scope, so their logs and spans name it. */
  configure(consumer: MiddlewareConsumer): void {
    const service = this.service;
    consumer
      .apply((_req: unknown, _res: unknown, next: () => void) => runAsService(service, next))
      .forRoutes('*');
  }
}
