import { createHmac } from 'node:crypto';
import express from 'express';
import { SeedReceiver, type SeedDocs, type Verified } from '../seed-receiver';

/**
 * A Messages.dev customer's webhook receiver, written from the seed's documentation only
 * (/work/shared/seeds/002_f0192a3814821eb8.txt, "Verifying signatures"): it verifies the raw body with
 * the seed's manual verifier before reading the payload. The server, recording and failing on demand
 * are ../seed-receiver.ts; nothing here comes from Herald's code.
 */

/** The seed's manual verifier, as documented: hex HMAC-SHA256 of the body, compared with `===`. */
export function verifyWebhook(body: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  return expected === signature;
}

/** The delivery body the seed shows: `{event, data, timestamp}`, timestamp in epoch milliseconds. */
export interface MessagesDevPayload {
  event: string;
  data: Record<string, unknown>;
  timestamp: number;
}

export interface MessagesDevView {
  /** The raw body the signature was checked against. */
  body: string;
  payload: MessagesDevPayload;
}
export type VerifiedDelivery = Verified<MessagesDevView>;

const text = (body: unknown) => (typeof body === 'string' ? body : '');

const MESSAGES_DEV: SeedDocs<MessagesDevView> = {
  // The seed verifies the raw string, so the body is kept as text, never parsed before verifying.
  parser: express.text({ type: () => true, limit: '5mb' }),
  verify: ({ headers, body }, secret) => {
    const signature = headers['x-webhook-signature'];
    // "Always verify the signature before processing a webhook payload."
    return typeof signature === 'string' && verifyWebhook(text(body), signature, secret);
  },
  // The seed's handler ends with res.sendStatus(200); it names no status for a bad signature: 401 here.
  accepted: { status: 200, body: 'OK' },
  rejected: { status: 401, body: 'Unauthorized' },
  read: ({ body }) => ({ body: text(body), payload: JSON.parse(text(body)) as MessagesDevPayload }),
  path: '/webhooks',
};

export class MessagesDevReceiver extends SeedReceiver<MessagesDevView> {
  /** Without a secret until the one copied from the dashboard (or the API's answer) is set. */
  static start(): Promise<MessagesDevReceiver> {
    return new MessagesDevReceiver(MESSAGES_DEV, undefined).listen();
  }
}
