import { WebhookVerificationError } from '../errors.js';
import type { Verifier, VerifiedWebhook } from '../verifier.js';
import { rejected, type WebhookResponse } from './responses.js';

/** Structural Fastify types: the package imports nothing from Fastify at runtime. */
export interface FastifyLike {
  addContentTypeParser(
    type: string,
    options: { parseAs: 'string' | 'buffer' },
    parser: (
      request: FastifyRequestLike,
      body: string | Uint8Array,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): unknown;
}
export interface FastifyRequestLike {
  headers: Record<string, string | string[] | undefined>;
  rawBody?: string | Uint8Array;
  webhook?: VerifiedWebhook;
}
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(body?: string): unknown;
}

/**
 * Keeps JSON bodies' raw text on `request.rawBody` (and still parses them) in the Fastify instance or
 * plugin scope it is called in: register the webhook routes in a scope of their own.
 */
export function fastifyRawBody(fastify: FastifyLike): void {
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body;
    try {
      done(null, body.length === 0 ? undefined : JSON.parse(body as string));
    } catch (error) {
      done(error as Error);
    }
  });
}

/** Sends one of the response helpers' answers through Fastify. */
export function sendFastify(reply: FastifyReplyLike, response: WebhookResponse): unknown {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/**
 * A preHandler hook for webhook routes (after fastifyRawBody): verifies `request.rawBody`, puts the
 * result on `request.webhook`, and answers 401 with the error code when refused.
 */
export function fastifyWebhook(verifier: Verifier) {
  return async (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<void> => {
    try {
      if (request.rawBody === undefined)
        throw new WebhookVerificationError(
          'BODY_REPARSED',
          'no request.rawBody: call fastifyRawBody(fastify) in the scope of this route so the raw bytes are kept',
        );
      request.webhook = await verifier.verifyWebhook(request.rawBody, request.headers);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      await sendFastify(reply, rejected(error));
    }
  };
}
