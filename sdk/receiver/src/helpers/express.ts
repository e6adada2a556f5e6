import { WebhookVerificationError } from '../errors.js';
import type { Verifier, VerifiedWebhook } from '../verifier.js';
import { readRawBody, type NodeRequestLike } from './node-body.js';
import { rejected, type WebhookResponse } from './responses.js';

/** Structural Express types: the package imports nothing from Express at runtime. */
export interface ExpressRequestLike extends NodeRequestLike {
  webhook?: VerifiedWebhook;
}
export interface ExpressResponseLike {
  status(code: number): ExpressResponseLike;
  set(headers: Record<string, string>): ExpressResponseLike;
  send(body?: string): unknown;
}
export type ExpressNext = (error?: unknown) => void;

/** Sends one of the response helpers' answers through Express. */
export function sendExpress(res: ExpressResponseLike, response: WebhookResponse): void {
  res.status(response.status).set(response.headers).send(response.body);
}

/**
 * Middleware for a webhook route: keeps the raw bytes, verifies them, and puts the result on
 * `req.webhook` (payload parsed). Mount it instead of express.json() on that route (or after
 * express.raw()); a refused request is answered 401 with the error code and the route never runs.
 */
export function expressWebhook(verifier: Verifier) {
  return (req: ExpressRequestLike, res: ExpressResponseLike, next: ExpressNext): void => {
    readRawBody(req)
      .then((raw) => verifier.verifyWebhook(raw, req.headers))
      .then(
        (webhook) => {
          req.webhook = webhook;
          req.body = webhook.payload;
          next();
        },
        (error: unknown) => {
          if (error instanceof WebhookVerificationError) sendExpress(res, rejected(error));
          else next(error);
        },
      );
  };
}
