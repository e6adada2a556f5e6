import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Inject,
  Param,
  Put,
  Query,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '@herald/contracts';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Requires } from '../auth/requires.decorator';
import { roleAllows } from '../auth/workspace-role.policy';
import { CreatedEndpointView } from '../dto/endpoint.dto';
import { RegisterEndpointDto, UnregisterEndpointDto } from '../dto/registration.dto';
import { ApiStandardErrors } from '../http/api-docs.decorators';
import { DynamicStatus, replyWith } from '../http/dynamic-status';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { RegisterEndpointUseCase } from '../usecases/register-endpoint/register-endpoint.usecase';
import { UnregisterEndpointUseCase } from '../usecases/register-endpoint/unregister-endpoint.usecase';

/** Agent auto-registration by URL (GudDesk's flow): register on start, unregister on shutdown. */
@ApiTags('registrations')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws/registrations')
@UseGuards(AuthGuard)
// Sends the dynamic-status reply (PUT is never stored under an Idempotency-Key).
@UseInterceptors(IdempotencyInterceptor)
export class RegistrationsController {
  constructor(
    @Inject(RegisterEndpointUseCase) private readonly register: RegisterEndpointUseCase,
    @Inject(UnregisterEndpointUseCase) private readonly unregister: UnregisterEndpointUseCase,
  ) {}

  @Put()
  @Requires('endpoints.write')
  @DynamicStatus()
  @ApiCreatedResponse({
    type: CreatedEndpointView,
    description: 'Registered a new endpoint, with its secret',
  })
  @ApiOkResponse({
    type: CreatedEndpointView,
    description:
      'The URL was already registered: that endpoint, its events and settings updated, with its current secret',
  })
  async put(
    @Param('ws') ws: string,
    @Body() body: RegisterEndpointDto,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    // Every answer carries the secret, so the caller must be allowed to read secrets as well.
    if (principal.kind === 'api-key' && !roleAllows(principal.role, 'secrets.read'))
      throw new DomainError(ErrorCode.Forbidden, `the ${principal.role} role cannot read signing secrets`);
    const result = await this.register.execute({ ...body, workspaceId: ws });
    replyWith(res, result.created ? 201 : 200, result.endpoint);
  }

  @Delete()
  @Requires('endpoints.write')
  @HttpCode(204)
  @ApiQuery({ name: 'url', required: false, description: 'The registered URL (or url in the body)' })
  @ApiBody({ type: UnregisterEndpointDto, required: false })
  @ApiNoContentResponse({ description: 'Deleted the endpoint registered for the URL' })
  async remove(
    @Param('ws') ws: string,
    @Body() body: UnregisterEndpointDto,
    @Query('url') urlQuery?: string,
  ): Promise<void> {
    const url = urlQuery ?? body?.url;
    if (!url)
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'url is required, as a query parameter or in the body',
        {
          field: 'url',
        },
      );
    await this.unregister.execute({ workspaceId: ws, url });
  }
}
