import { WebhookVerificationError } from '../errors.js';
import type { Verifier, VerifiedWebhook } from '../verifier.js';
import { rejected, toResponse, acknowledge, type WebhookResponse } from './responses.js';

/** The parts of a fetch `Request` used here. */
export interface RequestLike {
  arrayBuffer(): Promise<ArrayBuffer>;
  headers: { get(name: string): string | null };
  readonly bodyUsed?: boolean;
}

/** Reads the request's bytes (never `.json()`) and verifies them. */
export async function verifyRequest<T = unknown>(
  verifier: Verifier,
  request: RequestLike,
): Promise<VerifiedWebhook<T>> {
  if (request.bodyUsed)
    throw new WebhookVerificationError(
      'BODY_REPARSED',
      'the request body was already read (request.json()?); verify before reading it, or pass the raw bytes',
    );
  return verifier.verifyWebhook<T>(new Uint8Array(await request.arrayBuffer()), request.headers);
}

/**
 * A fetch-style handler (Deno.serve, Bun.serve, workers, Next.js route handlers): verifies, then calls
 * `handle`; a refused request gets 401 with the error code, a handler returning nothing gets 204.
 */
export function webhookHandler<T = unknown>(
  verifier: Verifier,
  handle: (webhook: VerifiedWebhook<T>, request: RequestLike) => Promise<WebhookResponse | Response | void>,
): (request: RequestLike) => Promise<Response> {
  return async (request) => {
    let webhook: VerifiedWebhook<T>;
    try {
      webhook = await verifyRequest<T>(verifier, request);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return toResponse(rejected(error));
      throw error;
    }
    const answer = (await handle(webhook, request)) ?? acknowledge();
    return answer instanceof Response ? answer : toResponse(answer);
  };
}
