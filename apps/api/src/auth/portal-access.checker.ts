import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@herald/contracts';
import { DeliveryQueryRepository, JobRepository, PortalLinkRepository } from '@herald/persistence';
import { WorkspaceRetentionService } from '../retention/workspace-retention.service';
import { isUuid } from '../usecases/delete-endpoint/delete-endpoint.usecase';
import { portalLinkRefusal } from '../usecases/portal-links/portal-link.policy';
import { hashApiKey, tokensEqual } from './api-key.codec';
import {
  endpointVisible,
  portalRouteRefusal,
  portalRouteRule,
  type PortalPermission,
} from './portal-access.policy';
import type { PortalBranding, PortalPrincipal } from './principal';

/**
 * The shell around portal-access.policy: finds the link a token belongs to, and holds a request to
 * the link's workspace, routes and endpoints. Lists are narrowed by the use cases (endpointScopeOf);
 * a single delivery or job is looked up here to learn its endpoint.
 */
@Injectable()
export class PortalAccessChecker {
  constructor(
    @Inject(PortalLinkRepository) private readonly links: PortalLinkRepository,
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async authenticate(token: string): Promise<PortalPrincipal> {
    const hash = hashApiKey(token);
    const link = await this.links.findByHash(hash);
    if (!link || !tokensEqual(link.tokenHash, hash)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'unknown portal link');
    }
    const refusal = portalLinkRefusal(link, new Date());
    if (refusal) throw refusal;
    return {
      kind: 'portal',
      linkId: link.id,
      workspaceId: link.workspaceId,
      endpointIds: link.endpointIds,
      permissions: link.permissions as PortalPermission[],
      branding: link.branding as PortalBranding,
      expiresAt: link.expiresAt,
    };
  }

  async authorize(request: Request, principal: PortalPrincipal): Promise<void> {
    const workspaceId = typeof request.params?.ws === 'string' ? request.params.ws : undefined;
    if (workspaceId !== undefined && workspaceId !== principal.workspaceId) {
      throw new DomainError(ErrorCode.Forbidden, 'this portal link belongs to another workspace');
    }
    const routePath = (request.route as { path?: unknown } | undefined)?.path;
    const rule = portalRouteRule(request.method, typeof routePath === 'string' ? routePath : '');
    const refusal = portalRouteRefusal(rule, principal);
    if (refusal) throw refusal;
    if (!rule.allowed || principal.endpointIds === null) return;
    const params = request.params as Record<string, string | undefined>;
    switch (rule.scope) {
      case 'endpoint-param':
        return this.requireEndpoint(principal, params.id);
      case 'endpoint-body':
        return this.requireEndpoint(principal, (request.body as { id?: unknown } | undefined)?.id);
      case 'delivery-param': {
        const { recordsSince } = await this.retention.forWorkspace(principal.workspaceId);
        const delivery = await this.deliveries.find(principal.workspaceId, params.id ?? '', recordsSince);
        if (delivery && !endpointVisible(principal, delivery.endpointId)) {
          throw new DomainError(ErrorCode.NotFound, `delivery ${params.id} not found`);
        }
        return;
      }
      case 'job-param': {
        const job =
          params.jobId && isUuid(params.jobId)
            ? await this.jobs.find(principal.workspaceId, params.jobId)
            : null;
        if (job && !endpointVisible(principal, job.endpointId)) {
          throw new DomainError(ErrorCode.NotFound, `job ${params.jobId} not found`);
        }
        return;
      }
      default:
        return;
    }
  }

  private requireEndpoint(principal: PortalPrincipal, endpointId: unknown): void {
    if (!endpointVisible(principal, typeof endpointId === 'string' ? endpointId.toLowerCase() : undefined)) {
      throw new DomainError(ErrorCode.NotFound, `endpoint ${String(endpointId)} not found`);
    }
  }
}
