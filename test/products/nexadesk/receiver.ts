import * as crypto from 'node:crypto';
import express from 'express';
import { SeedReceiver, type SeedDocs, type Verified } from '../seed-receiver';

/**
 * A NexaDesk customer's webhook handler, written from NexaDesk's documentation only
 * (/work/shared/seeds/004_f9728e5060c2493b.txt, "Signature Verification"): express.json() parses the
 * body, the seed's verifyWebhook checks `JSON.stringify(req.body)` against X-NexaDesk-Signature, and
 * the handler answers 401 "Invalid signature" or 200 "OK". The server, recording and failing on
 * demand are ../seed-receiver.ts; nothing of Herald's signing code is used.
 * It holds its secret from the start, as NEXADESK_WEBHOOK_SECRET, so it verifies the very first
 * request too: Save's test ping. That works because the endpoint is created with that secret
 * (`secret` on create); with a generated one the seed's handler answers the ping 401.
 */

/** The seed's `verifyWebhook`, as documented: `"sha256=" + hex HMAC`, compared with timingSafeEqual. */
export function verifyWebhook(body: string, signature: string, secret: string): boolean {
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(body, 'utf-8').digest('hex');
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

/** "All webhook payloads follow this structure" (Payload Format). */
export interface NexaDeskPayload {
  event: string;
  timestamp: string;
  workspace_id: string;
  data: Record<string, unknown>;
}

export interface NexaDeskView {
  /** The body as express.json() parsed it. */
  payload: NexaDeskPayload;
  signature: string | undefined;
}
export type ReceivedRequest = Verified<NexaDeskView>;

const NEXADESK: SeedDocs<NexaDeskView> = {
  // The seed re-serialises req.body with JSON.stringify, so the body is parsed as JSON first.
  parser: express.json(),
  // The seed's handler: a throw (missing header, length mismatch) is no valid signature either.
  verify: ({ headers, body }, secret) => {
    const signature = headers['x-nexadesk-signature'];
    return verifyWebhook(JSON.stringify(body), signature as string, secret);
  },
  accepted: { status: 200, body: 'OK' },
  rejected: { status: 401, body: 'Invalid signature' },
  read: ({ headers, body }) => {
    const header = headers['x-nexadesk-signature'];
    return { payload: body as NexaDeskPayload, signature: typeof header === 'string' ? header : undefined };
  },
  path: '/webhooks/nexadesk',
};

export class NexaDeskReceiver extends SeedReceiver<NexaDeskView> {
  /** `secret` is NEXADESK_WEBHOOK_SECRET, set before the webhook is added. */
  static start(secret: string): Promise<NexaDeskReceiver> {
    return new NexaDeskReceiver(NEXADESK, secret).listen();
  }
}
