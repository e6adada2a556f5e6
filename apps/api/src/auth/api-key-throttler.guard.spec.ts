import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { DomainError, ErrorCode } from '@herald/contracts';
import type { ApiSettings } from '../api.settings';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { PRINCIPAL, type Principal } from './principal';

class RoutesA {
  list() {}
}
class RoutesB {
  create() {}
}

const key = (keyId: string): Principal => ({ kind: 'api-key', keyId, workspaceId: 'ws', role: 'admin' });

interface Route {
  controller: new () => object;
  handler: () => void;
}
const routeA: Route = { controller: RoutesA, handler: RoutesA.prototype.list };
const routeB: Route = { controller: RoutesB, handler: RoutesB.prototype.create };

function contextFor(principal: Principal, route: Route = routeA): ExecutionContext {
  const request = { [PRINCIPAL]: principal, headers: {} };
  const response = { header: () => undefined };
  return {
    getHandler: () => route.handler,
    getClass: () => route.controller,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

describe('per-key request budget', () => {
  let storage: ThrottlerStorageService;
  let guard: ApiKeyThrottlerGuard;

  beforeEach(async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    storage = new ThrottlerStorageService();
    const settings = { keyRate: { burst: 3, windowMs: 1_000 } } as ApiSettings;
    guard = new ApiKeyThrottlerGuard(settings, storage, new Reflector());
    await guard.onModuleInit();
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  const refusal = async (context: ExecutionContext): Promise<DomainError | null> => {
    try {
      await guard.canActivate(context);
      return null;
    } catch (error) {
      return error as DomainError;
    }
  };

  it('lets a key send its burst, then refuses with RATE_LIMITED and a Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect(await refusal(contextFor(key('k1')))).toBeNull();
    const refused = await refusal(contextFor(key('k1')));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: ErrorCode.RateLimited, details: { retryAfterSeconds: 1 } });
    expect(refused?.message).toBe('this API key sent more than 3 requests in 1s; retry after 1s');
  });

  it('counts one budget per key across routes, and keys apart', async () => {
    expect(await refusal(contextFor(key('k1'), routeA))).toBeNull();
    expect(await refusal(contextFor(key('k1'), routeB))).toBeNull();
    expect(await refusal(contextFor(key('k1'), routeA))).toBeNull();
    expect(await refusal(contextFor(key('k1'), routeB))).not.toBeNull();
    expect(await refusal(contextFor(key('k2'), routeB))).toBeNull();
  });

  it('serves the key again once its oldest request left the window; refusals do not count', async () => {
    for (let i = 0; i < 3; i++) await guard.canActivate(contextFor(key('k1')));
    for (let i = 0; i < 10; i++) expect(await refusal(contextFor(key('k1')))).not.toBeNull();
    jest.advanceTimersByTime(1_001);
    expect(await refusal(contextFor(key('k1')))).toBeNull();
  });

  it('does not limit the operator token', async () => {
    for (let i = 0; i < 10; i++) expect(await refusal(contextFor({ kind: 'operator' }))).toBeNull();
  });
});
