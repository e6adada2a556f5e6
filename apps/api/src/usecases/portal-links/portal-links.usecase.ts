import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository, PortalLinkEntity, PortalLinkRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import type { PortalPermission } from '../../auth/portal-access.policy';
import { generatePortalToken } from '../../auth/portal-token.codec';
import type { CreatedPortalLinkView, CreatePortalLinkDto, PortalLinkView } from './portal-link.dto';
import { planPortalLink, portalUrl } from './portal-link.policy';

/** Mint, list and revoke a workspace's portal links. */
@Injectable()
export class PortalLinksUseCase {
  constructor(
    @Inject(PortalLinkRepository) private readonly links: PortalLinkRepository,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  /** `requestBaseUrl` is used when HERALD_PUBLIC_URL is unset. */
  async create(
    workspaceId: string,
    request: CreatePortalLinkDto,
    requestBaseUrl: string,
  ): Promise<CreatedPortalLinkView> {
    const now = new Date();
    const plan = planPortalLink(request, { maxTtlSeconds: this.env.HERALD_PORTAL_MAX_TTL_SECONDS, now });
    if (plan.endpointIds) {
      const found = await this.endpoints.list({
        workspaceId,
        ids: plan.endpointIds,
        limit: plan.endpointIds.length,
      });
      const known = new Set(found.map((endpoint) => endpoint.id));
      const missing = plan.endpointIds.find((id) => !known.has(id));
      if (missing) throw new DomainError(ErrorCode.NotFound, `endpoint ${missing} not found`);
    }
    const { token, hash } = generatePortalToken();
    const link = Object.assign(new PortalLinkEntity(), {
      id: randomUUID(),
      workspaceId,
      tokenHash: hash,
      endpointIds: plan.endpointIds,
      permissions: plan.permissions,
      branding: { ...request.branding },
      allowedOrigins: plan.allowedOrigins,
      createdAt: now,
      expiresAt: plan.expiresAt,
      revokedAt: null,
    });
    await this.links.insert(link);
    return {
      ...toPortalLinkView(link),
      url: portalUrl(this.env.HERALD_PUBLIC_URL ?? requestBaseUrl, link.id, token),
      token,
    };
  }

  async list(workspaceId: string): Promise<{ data: PortalLinkView[] }> {
    return { data: (await this.links.listLive(workspaceId, new Date())).map(toPortalLinkView) };
  }

  async revoke(workspaceId: string, linkId: string): Promise<void> {
    if (!(await this.links.revoke(workspaceId, linkId, new Date()))) {
      throw new DomainError(ErrorCode.NotFound, `portal link ${linkId} not found`);
    }
  }
}

function toPortalLinkView(link: PortalLinkEntity): PortalLinkView {
  return {
    id: link.id,
    endpointIds: link.endpointIds,
    permissions: link.permissions as PortalPermission[],
    branding: link.branding,
    allowedOrigins: link.allowedOrigins,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
  };
}
