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
import { from, of, switchMap, type Observable } from 'rxjs';
import { DomainError, ErrorCode } from '@herald/contracts';
import { IdempotencyRepository } from '@herald/persistence';
import { SecretCipher } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../api.env';
import { PRINCIPAL, type Principal } from '../auth/principal';
import { DYNAMIC_STATUS, pendingReply } from './dynamic-status';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on mutating POSTs: the first response is stored per workspace and replayed for a
 * repeat; the same key with another route or body is refused with 422. Stored responses are sealed
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
    const scope = ws ?? (principal?.kind === 'api-key' ? principal.workspaceId : 'operator');
    const route = `${req.method} ${req.path}`;
    const requestHash = createHash('sha256')
      .update(route)
      .update('\0')
      .update(JSON.stringify(req.body ?? null))
      .update('\0')
      .update(JSON.stringify(req.query ?? {}))
      .digest('hex');

    return from(this.records.find(scope, key)).pipe(
      switchMap((stored) => {
        const fresh = stored && Date.now() - stored.createdAt.getTime() < this.env.HERALD_IDEMPOTENCY_TTL;
        if (stored && fresh) {
          if (stored.route !== route || stored.requestHash !== requestHash) {
            throw new DomainError(
              ErrorCode.ValidationFailed,
              'this Idempotency-Key was already used with a different request',
              {
                fields: [{ field: 'Idempotency-Key', message: 'reused with a different request' }],
                status: 422,
              },
            );
          }
          res.status(stored.statusCode);
          res.setHeader('idempotent-replayed', 'true');
          const sealed = stored.response as { sealed?: string } | null;
          return of(
            send(stored.statusCode, sealed?.sealed ? JSON.parse(this.cipher.decrypt(sealed.sealed)) : null),
          );
        }
        const cleanup = stored
          ? this.records.deleteOlderThan(new Date(Date.now() - this.env.HERALD_IDEMPOTENCY_TTL))
          : null;
        return next.handle().pipe(
          // The record is written before the response leaves, so an immediate repeat finds it.
          switchMap(async (body: unknown) => {
            await cleanup;
            const { status, body: payload } = outcome(body);
            await this.records.save({
              scope,
              key,
              route,
              requestHash,
              statusCode: status,
              response: { sealed: this.cipher.encrypt(JSON.stringify(payload ?? null)) },
            });
            return send(status, payload);
          }),
        );
      }),
    );
  }
}
