import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/requires.decorator';
import { ApiStandardErrors } from '../http/api-docs.decorators';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import {
  CreatedPortalLinkView,
  CreatePortalLinkDto,
  PortalLinkListView,
} from '../usecases/portal-links/portal-link.dto';
import { PortalLinksUseCase } from '../usecases/portal-links/portal-links.usecase';

/** Customer portal links: a short-lived bearer token for one workspace's endpoint and delivery pages. */
@ApiTags('portal links')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws/portal-links')
@UseGuards(AuthGuard)
export class PortalLinksController {
  constructor(@Inject(PortalLinksUseCase) private readonly links: PortalLinksUseCase) {}

  @Post()
  @Requires('keys.manage')
  @ApiCreatedResponse({
    type: CreatedPortalLinkView,
    description: 'The token is shown only in this response',
  })
  create(
    @Param('ws') ws: string,
    @Body() body: CreatePortalLinkDto,
    @Req() req: Request,
  ): Promise<CreatedPortalLinkView> {
    return this.links.create(ws, body, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  }

  @Get()
  @Requires('keys.manage')
  @ApiOkResponse({
    type: PortalLinkListView,
    description: 'Links neither expired nor revoked (never their tokens)',
  })
  list(@Param('ws') ws: string): Promise<PortalLinkListView> {
    return this.links.list(ws);
  }

  @Delete(':linkId')
  @Requires('keys.manage')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: its token answers 401 PORTAL_LINK_REVOKED from now on' })
  revoke(@Param('ws') ws: string, @Param('linkId', UuidIdPipe) linkId: string): Promise<void> {
    return this.links.revoke(ws, linkId);
  }
}
