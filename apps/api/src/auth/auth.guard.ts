import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@herald/contracts';
import { ApiKeyRepository, WorkspaceRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../api.env';
import { hashApiKey, tokensEqual } from './api-key.codec';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { PortalAccessChecker } from './portal-access.checker';
import { isPortalToken } from './portal-token.codec';
import { PRINCIPAL, type Principal } from './principal';
import { REQUIRES } from './requires.decorator';
import { roleAllows, type Permission } from './workspace-role.policy';

/**
 * 401 without a valid bearer token (PORTAL_LINK_EXPIRED or _REVOKED for a portal link's); 429 when the key is over its request rate (ApiKeyThrottlerGuard);
 * 403 when the key belongs to another workspace than the path names, or its role lacks the permission;
 * 404 when the operator names a workspace that does not exist.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(ApiKeyThrottlerGuard) private readonly throttler: ApiKeyThrottlerGuard,
    @Inject(PortalAccessChecker) private readonly portal: PortalAccessChecker,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { [PRINCIPAL]?: Principal }>();
    const principal = await this.authenticate(request.headers.authorization);
    request[PRINCIPAL] = principal;
    await this.throttler.canActivate(context);
    const permission =
      this.reflector.getAllAndOverride<Permission>(REQUIRES, [context.getHandler(), context.getClass()]) ??
      'read';
    const workspaceId = typeof request.params?.ws === 'string' ? request.params.ws : undefined;

    if (principal.kind === 'operator') {
      if (workspaceId !== undefined && !(await this.workspaces.find(workspaceId))) {
        throw new DomainError(ErrorCode.NotFound, `workspace ${workspaceId} not found`);
      }
      return true;
    }
    if (principal.kind === 'portal') {
      // Portal links follow their own route table (portal-access.policy), never the role grants.
      await this.portal.authorize(request, principal);
      return true;
    }
    if (permission === 'operator') {
      throw new DomainError(ErrorCode.Forbidden, 'this operation needs the operator token');
    }
    if (workspaceId !== undefined && workspaceId !== principal.workspaceId) {
      throw new DomainError(ErrorCode.Forbidden, 'this API key belongs to another workspace');
    }
    if (!roleAllows(principal.role, permission)) {
      throw new DomainError(ErrorCode.Forbidden, `the ${principal.role} role cannot ${describe(permission)}`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) {
      throw new DomainError(ErrorCode.Unauthenticated, 'send Authorization: Bearer <API key>');
    }
    const token = match[1];
    if (tokensEqual(token, this.env.HERALD_ADMIN_TOKEN)) return { kind: 'operator' };
    if (isPortalToken(token)) return this.portal.authenticate(token);
    const hash = hashApiKey(token);
    const key = await this.keys.findActiveByHash(hash);
    // The lookup is by digest; the constant-time compare keeps the final check free of timing leaks.
    if (!key || !tokensEqual(key.keyHash, hash)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'unknown or revoked API key');
    }
    return { kind: 'api-key', keyId: key.id, workspaceId: key.workspaceId, role: key.role };
  }
}

function describe(permission: Permission): string {
  switch (permission) {
    case 'endpoints.write':
      return 'change endpoints';
    case 'secrets.read':
      return 'reveal signing secrets';
    case 'replay':
      return 'replay deliveries';
    case 'keys.manage':
      return 'manage API keys';
    case 'data.purge':
      return 'purge stored payloads';
    default:
      return 'do this';
  }
}
