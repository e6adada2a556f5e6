import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { endpointScopeOf, type Principal } from '../auth/principal';
import { Requires } from '../auth/requires.decorator';
import { ApiStandardErrors } from '../http/api-docs.decorators';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import { DEFAULT_HEALTH_WINDOW } from '../usecases/endpoint-health/endpoint-health.policy';
import { EndpointHealthUseCase } from '../usecases/endpoint-health/endpoint-health.usecase';
import {
  EndpointHealthListView,
  EndpointHealthView,
  HealthQueryDto,
} from '../usecases/endpoint-health/endpoint-health.view';

/** Registered before EndpointsController, so `endpoints/health` is not taken for an endpoint id. */
@ApiTags('endpoints')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws/endpoints')
@UseGuards(AuthGuard)
export class EndpointHealthController {
  constructor(@Inject(EndpointHealthUseCase) private readonly health: EndpointHealthUseCase) {}

  @Get('health')
  @Requires('read')
  @ApiOkResponse({ type: EndpointHealthListView, description: "Every endpoint's health over the window" })
  all(
    @Param('ws') ws: string,
    @Query() query: HealthQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EndpointHealthListView> {
    return this.health.all({
      workspaceId: ws,
      window: query.window ?? DEFAULT_HEALTH_WINDOW,
      endpointIds: endpointScopeOf(principal),
    });
  }

  @Get(':id/health')
  @Requires('read')
  @ApiOkResponse({
    type: EndpointHealthView,
    description:
      'Attempts, success rate and latency over the window; last success and failure; circuit state',
  })
  one(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @Query() query: HealthQueryDto,
  ): Promise<EndpointHealthView> {
    return this.health.one({
      workspaceId: ws,
      endpointId: id,
      window: query.window ?? DEFAULT_HEALTH_WINDOW,
    });
  }
}
