import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { API_ENV, type ApiEnv } from '../api.env';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ApiStandardErrors } from '../http/api-docs.decorators';
import { MeView, toMeView } from '../usecases/get-me/me.view';

@ApiTags('console')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/me')
@UseGuards(AuthGuard)
export class MeController {
  constructor(@Inject(API_ENV) private readonly env: ApiEnv) {}

  @Get()
  @ApiOkResponse({
    type: MeView,
    description: 'Who this bearer token is (operator, API key or portal link) and what it may do',
  })
  me(@CurrentPrincipal() principal: Principal): MeView {
    return toMeView(principal, { traceUrlTemplate: this.env.HERALD_TRACE_URL_TEMPLATE });
  }
}
