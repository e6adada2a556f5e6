import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, of, switchMap, type Observable } from 'rxjs';
import { DomainError, ErrorCode } from '@herald/contracts';
import { IdempotencyRepository } from '@herald/persistence';
import { SecretCipher } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../api.env';
import { PRINCIPAL, type Principal } from '../auth/principal';
import { DYNAMIC_STATUS, pendingReply } from './dynamic-status';
import { decideIdempotency } from './idempotency.policy';

const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a repeat waits for the first request with its key to finish before it gets a 409. */
const WAIT_FOR_FIRST_MS = 30_000;
/** A claim this old belongs to a request that died with its process. */
const ABANDONED_AFTER_MS = 120_000;

/**
 * `Idempotency-Key` on mutating POSTs: the first request claims the key, its response is stored per
 * workspace and replayed for a repeat; a repeat arriving while the first still runs waits for it
 * instead of running twice. The same key with another route or body is refused with 422. Stored responses are sealed
 * with the master key, since some (a new endpoint's secret, a new API key) are shown only once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IdempotencyRepository) private readonly records: IdempotencyRepository,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { [PRINCIPAL]?: Principal }>();
    const res = http.getResponse<Response>();
    const dynamic = this.reflector.get<boolean>(DYNAMIC_STATUS, context.getHandler()) === true;
    // Dynamic-status handlers leave their reply in res.locals; it is sent here, after it was stored.
    const send = (status: number, body: unknown): unknown => {
      if (!dynamic) return body;
      res.status(status).json(body);
      return undefined;
    };
    const outcome = (body: unknown) => {
      const reply = dynamic ? pendingReply(res) : undefined;
      return reply ?? { status: res.statusCode, body };
    };
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) {
      return next.handle().pipe(
        switchMap(async (body: unknown) => {
          const { status, body: payload } = outcome(body);
          return send(status, payload);
        }),
      );
    }
    if (!KEY.test(key)) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'Idempotency-Key must be 1-255 visible ASCII characters',
        {
          fields: [{ field: 'Idempotency-Key', message: '1-255 visible ASCII characters' }],
        },
      );
    }
    const principal = req[PRINCIPAL];
    const ws = typeof req.params?.ws === 'string' ? req.params.ws : null;
    const scope = ws ?? (principal && principal.kind !== 'operator' ? principal.workspaceId : 'operator');
    const route = `${req.method} ${req.path}`;
    const requestHash = createHash('sha256')
      .update(route)
      .update('\0')
      .update(JSON.stringify(req.body ?? null))
      .update('\0')
      .update(JSON.stringify(req.query ?? {}))
      .digest('hex');

    const claim = { scope, key, route, requestHash };
    return from(this.acquire(claim)).pipe(
      switchMap((stored) => {
        if (stored) {
          res.status(stored.statusCode);
          res.setHeader('idempotent-replayed', 'true');
          const sealed = stored.response as { sealed?: string } | null;
          return of(
            send(stored.statusCode, sealed?.sealed ? JSON.parse(this.cipher.decrypt(sealed.sealed)) : null),
          );
        }
        return next.handle().pipe(
          // The response is stored before it leaves, so a waiting or later repeat replays it.
          switchMap(async (body: unknown) => {
            const { status, body: payload } = outcome(body);
            await this.records.complete(scope, key, status, {
              sealed: this.cipher.encrypt(JSON.stringify(payload ?? null)),
            });
            return send(status, payload);
          }),
          // A failed request stores nothing: the claim is given up so a retry runs again.
          catchError(async (error: unknown) => {
            await this.records.release(scope, key).catch(() => undefined);
            throw error;
          }),
        );
      }),
    );
  }

  /**
   * Claims the key for this request (null: run it), or returns the finished response of the request
   * that holds it, waiting up to WAIT_FOR_FIRST_MS while that one is still running.
   */
  private async acquire(claim: {
    scope: string;
    key: string;
    route: string;
    requestHash: string;
  }): Promise<{ statusCode: number; response: unknown } | null> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (let pollMs = 20; ; pollMs = Math.min(pollMs * 2, 250)) {
      const stored = await this.records.find(claim.scope, claim.key);
      const now = Date.now();
      const decision = decideIdempotency(stored, {
        route: claim.route,
        requestHash: claim.requestHash,
        now,
        ttlMs: this.env.HERALD_IDEMPOTENCY_TTL,
        abandonedAfterMs: ABANDONED_AFTER_MS,
      });
      switch (decision) {
        case 'claim':
          if (await this.records.claim(claim)) return null;
          continue; // another request won the insert: look at its row
        case 'take-over':
          if (await this.records.takeOver(claim.scope, claim.key, new Date(now - ABANDONED_AFTER_MS)))
            return null;
          continue;
        case 'expire':
          await this.records.expire(claim.scope, claim.key, new Date(now - this.env.HERALD_IDEMPOTENCY_TTL));
          continue;
        case 'replay':
          return stored!;
        case 'mismatch':
          throw new DomainError(
            ErrorCode.ValidationFailed,
            'this Idempotency-Key was already used with a different request',
            {
              fields: [{ field: 'Idempotency-Key', message: 'reused with a different request' }],
              status: 422,
            },
          );
        case 'wait':
          if (now >= deadline) {
            throw new DomainError(
              ErrorCode.Conflict,
              'a request with this Idempotency-Key is still running; retry later to get its response',
              { fields: [{ field: 'Idempotency-Key', message: 'still in progress' }] },
            );
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
  }
}
