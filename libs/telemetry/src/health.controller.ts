import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness.registry';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Every dependency registered by the service's adapters answers. */
  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = this.readiness.entries().map(([name, check]) => async () => {
      const indicator = this.indicators.check(name);
      try {
        await check();
        return indicator.up();
      } catch (error) {
        return indicator.down({ message: (error as Error).message });
      }
    });
    return this.health.check(checks);
  }
}
