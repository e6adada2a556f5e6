import { Controller, Get, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { readinessDetailsAllowed } from './internal-endpoints';
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

  /**
   * Every dependency registered by the service's adapters answers. Error messages (hosts, addresses)
   * only for the admin token or the internal port; anyone else gets each check's up or down.
   */
  @Get('ready')
  @HealthCheck()
  ready(@Req() request: object) {
    const details = readinessDetailsAllowed(request);
    const checks: HealthIndicatorFunction[] = this.readiness.entries().map(([name, check]) => async () => {
      const indicator = this.indicators.check(name);
      try {
        await check();
        return indicator.up();
      } catch (error) {
        return details ? indicator.down({ message: (error as Error).message }) : indicator.down();
      }
    });
    return this.health.check(checks);
  }
}
