import { WebhookVerificationError } from '../errors.js';
import type { Verifier } from '../verifier.js';
import { readRawBody, type NodeRequestLike } from './node-body.js';

/** Structural NestJS types: the package imports nothing from Nest at runtime. */
export interface NestExecutionContextLike {
  switchToHttp(): { getRequest<T = unknown>(): T };
}

export interface NestWebhookGuardOptions {
  /**
   * Turns a refusal into what Nest should throw, e.g. `(e) => new UnauthorizedException(e.code)`.
   * Without it the guard returns false and Nest answers 403.
   */
  toHttpError?: (error: WebhookVerificationError) => unknown;
}

/**
 * A guard (an instance for `@UseGuards(...)`): verifies the raw body and puts the result on
 * `request.webhook`. Create the app with `NestFactory.create(AppModule, { rawBody: true })` so Nest
 * keeps `request.rawBody`; the guard reads the stream itself when nothing parsed it.
 */
export function nestWebhookGuard(verifier: Verifier, options: NestWebhookGuardOptions = {}) {
  return {
    async canActivate(context: NestExecutionContextLike): Promise<boolean> {
      const request = context.switchToHttp().getRequest<NodeRequestLike & { webhook?: unknown }>();
      try {
        request.webhook = await verifier.verifyWebhook(await readRawBody(request), request.headers);
        return true;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        if (options.toHttpError) throw options.toHttpError(error);
        return false;
      }
    },
  };
}
