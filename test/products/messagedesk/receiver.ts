import * as crypto from 'node:crypto';
import express from 'express';
import { SeedReceiver, type SeedDocs, type Verified } from '../seed-receiver';

/**
 * A MessageDesk webhook receiver built from MessageDesk's own documentation only
 * (/work/shared/seeds/000_15fb22d117caad33.txt, "Send Webhook Relay Action": the Event payload and
 * "Example validation code"; 001_5c9e832f6bdf6cea.txt, "Developer Tools": one workspace secret, which a
 * rotation replaces at once). The server, recording and failing on demand are ../seed-receiver.ts;
 * nothing of Herald's signing code is used: the seed's code verifies.
 */

/** The Event object every MessageDesk webhook carries, as the seed's example shows it. */
export interface MessageDeskEvent {
  id: string;
  object: 'Event';
  name: string;
  workspaceId: string;
  createdAt: string;
  dataType: string;
  data: Record<string, unknown>;
}

/**
 * The seed's `validateMessageDeskSignature`, with the API secret passed in rather than a constant:
 * a base64 HMAC-SHA256 of `JSON.stringify(body)` (the body as express.json() parsed it), compared
 * with crypto.timingSafeEqual. Like the seed's, it throws when the lengths differ or the header is
 * missing; the receiver counts a throw as a rejection.
 */
export function validateMessageDeskSignature(
  apiSecret: string,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): boolean {
  // Capture the X-MessageDesk-Signature header
  const signature = headers['x-messagedesk-signature'] as string;

  // Compute HMAC SHA256
  const hash = crypto.createHmac('sha256', apiSecret).update(JSON.stringify(body)).digest('base64');

  return crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(signature));
}

export interface MessageDeskView {
  /** The parsed body, whose re-serialisation verified. */
  event: MessageDeskEvent;
}
export type VerifiedRequest = Verified<MessageDeskView>;

const MESSAGEDESK: SeedDocs<MessageDeskView> = {
  // The seed hashes JSON.stringify(body), so the body is parsed as JSON first.
  parser: express.json(),
  verify: ({ headers, body }, apiSecret) => validateMessageDeskSignature(apiSecret, headers, body),
  // "Return a 2xx status code within 5 seconds"; the seed names no status for a bad signature: 401 here.
  accepted: { status: 200, body: 'ok' },
  rejected: { status: 401, body: 'invalid signature' },
  read: ({ body }) => ({ event: body as MessageDeskEvent }),
  path: '/messagedesk',
};

export class MessageDeskReceiver extends SeedReceiver<MessageDeskView> {
  static start(apiSecret = 'not-yet-generated'): Promise<MessageDeskReceiver> {
    return new MessageDeskReceiver(MESSAGEDESK, apiSecret).listen();
  }

  /** Verified events with this Event id, in arrival order. */
  verifiedEvent(eventId: string): VerifiedRequest[] {
    return this.verified.filter((request) => request.event.id === eventId);
  }
}
