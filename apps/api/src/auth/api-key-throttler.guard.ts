import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerLimitDetail, ThrottlerStorageService } from '@nestjs/throttler';
import { DomainError, ErrorCode } from '@herald/contracts';
import { API_SETTINGS, type ApiSettings } from '../api.settings';
import { PRINCIPAL, type Principal } from './principal';

const THROTTLER = 'api-key';

/**
 * The per-key request budget, on @nestjs/throttler's sliding window. AuthGuard calls it once it knows
 * the key, so the budget follows the key (not the client address) across every /v1 route, and routes
 * outside AuthGuard (health, metrics, docs) are never limited. Counters live in this process: with N
 * API replicas a key may send N times the budget. The operator token is not limited.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  constructor(
    @Inject(API_SETTINGS) settings: ApiSettings,
    @Inject(ThrottlerStorageService) storage: ThrottlerStorageService,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super(
      {
        // blockDuration 0: a refused request is not counted, so a key over its budget is served again
        // as soon as its oldest request leaves the window.
        throttlers: [
          {
            name: THROTTLER,
            limit: settings.keyRate.burst,
            ttl: settings.keyRate.windowMs,
            blockDuration: 0,
          },
        ],
        setHeaders: false,
      },
      storage,
      reflector,
    );
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const kind = principalOf(context)?.kind;
    return Promise.resolve(kind !== 'api-key' && kind !== 'portal');
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = req[PRINCIPAL] as Principal;
    if (principal.kind === 'portal') return Promise.resolve(`portal:${principal.linkId}`);
    return Promise.resolve(principal.kind === 'api-key' ? principal.keyId : 'operator');
  }

  /** One budget per key across all routes (the library's default keys by route too). */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    throw new DomainError(
      ErrorCode.RateLimited,
      `this API key sent more than ${detail.limit} requests in ${detail.ttl / 1000}s; retry after ${retryAfterSeconds}s`,
      { retryAfterSeconds },
    );
  }
}

function principalOf(context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL];
}
