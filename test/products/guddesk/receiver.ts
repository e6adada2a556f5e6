import { createHmac } from 'node:crypto';
import express from 'express';
import { SeedReceiver, type SeedDocs, type Verified } from '../seed-receiver';

/**
 * A GudDesk agent's webhook receiver, written from the seed's documentation only
 * (/work/shared/seeds/003_9ad9576f95545609.txt, "Verifying Signatures"): it checks X-GudDesk-Signature
 * against the raw payload string with the seed's function before reading anything. The server,
 * recording and failing on demand are ../seed-receiver.ts; nothing here comes from Herald's code.
 */

/** The seed's verifier as documented: `sha256=` + hex HMAC-SHA256 of the payload, compared with `===`. */
export function verifyWebhook(payload: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(payload).digest('hex');
  return `sha256=${expected}` === signature;
}

export interface AgentView {
  /** The raw payload string the signature was checked against. */
  payload: string;
  /** The payload parsed after it verified (the seed documents no body shape, so it stays open). */
  body: Record<string, unknown>;
}
export type VerifiedDelivery = Verified<AgentView>;

const text = (body: unknown) => (typeof body === 'string' ? body : '');

const GUDDESK: SeedDocs<AgentView> = {
  // The seed verifies the raw payload string, so the body is kept as text until it has verified.
  parser: express.text({ type: () => true, limit: '5mb' }),
  verify: ({ headers, body }, secret) => {
    const signature = headers['x-guddesk-signature'];
    // "Always verify signatures in production to ensure requests are genuinely from GudDesk."
    return typeof signature === 'string' && verifyWebhook(text(body), signature, secret);
  },
  // The seed shows no handler: the agent answers 200 ("Return a 200 status within 5 seconds"), else 401.
  accepted: { status: 200, body: 'OK' },
  rejected: { status: 401, body: 'Unauthorized' },
  read: ({ body }) => ({ payload: text(body), body: JSON.parse(text(body)) as Record<string, unknown> }),
  path: '/webhook',
};

export class GudDeskAgentReceiver extends SeedReceiver<AgentView> {
  /** Without a secret until the registration's answer gives one (useSecret). */
  static start(): Promise<GudDeskAgentReceiver> {
    return new GudDeskAgentReceiver(GUDDESK, undefined).listen();
  }
}
