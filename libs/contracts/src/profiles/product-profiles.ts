import type { PayloadProfile, SignatureScheme } from '../events/endpoint-snapshot.event';

/** The endpoint settings a product profile names; choosing the profile sets all of them at once. */
export interface ProductProfileSettings {
  payloadProfile: PayloadProfile;
  signatureScheme: SignatureScheme;
  signatureHeader: string;
  /** Retry delays, each a configured tier; null is Herald's default schedule. */
  retrySchedule: string[] | null;
  /** Whether a new endpoint is created only after its URL answered a signed test ping with 200. */
  verifyOnCreate: boolean;
}

export type ProductProfileName = 'guddesk' | 'messagedesk' | 'messages-dev' | 'nexadesk';

/**
 * What each seed product documents for its webhooks (/work/shared/seeds; header styles also in
 * FIELD-NOTES §2, the NexaDesk schedule in §3). Plain data: resolve-product-profile.policy applies it.
 */
export const PRODUCT_PROFILES: Readonly<Record<ProductProfileName, Readonly<ProductProfileSettings>>> = {
  guddesk: {
    // Seed 003 documents no body shape, only the signature: Herald's own envelope.
    payloadProfile: 'herald',
    // Seed 003: `X-GudDesk-Signature: sha256=<hex HMAC-SHA256 of the payload>`.
    signatureScheme: 'hmac-sha256-prefixed',
    signatureHeader: 'X-GudDesk-Signature',
    // Seed 003 names no retry policy: Herald's default schedule.
    retrySchedule: null,
    // Agents register themselves (seed 003); nothing there pings the URL first.
    verifyOnCreate: false,
  },
  messagedesk: {
    // Seed 000 "Webhook Payloads": every payload is an Event object.
    payloadProfile: 'messagedesk',
    // Seed 000 "How signature validation works": base64 HMAC-SHA256 of the raw body.
    signatureScheme: 'hmac-base64',
    signatureHeader: 'X-MessageDesk-Signature',
    // Seeds 000/001 point to retries but list no delays: Herald's default schedule.
    retrySchedule: null,
    // Seed 000 suggests sending test events by hand; creation does not wait for one.
    verifyOnCreate: false,
  },
  'messages-dev': {
    // Seed 002: {event, data, timestamp}.
    payloadProfile: 'messages-dev',
    // Seed 002 "Verifying signatures": hex HMAC-SHA256 in X-Webhook-Signature.
    signatureScheme: 'hmac-hex',
    signatureHeader: 'X-Webhook-Signature',
    // Seed 002 lists no retry delays: Herald's default schedule.
    retrySchedule: null,
    verifyOnCreate: false,
  },
  nexadesk: {
    // Seed 004 "Payload Format": {event, timestamp, workspace_id, data}.
    payloadProfile: 'nexadesk',
    // Seed 004 "Signature Verification": `X-NexaDesk-Signature: sha256=<hex>` of the raw body.
    signatureScheme: 'hmac-sha256-prefixed',
    signatureHeader: 'X-NexaDesk-Signature',
    // Seed 004 "Retry Policy": 1m, 5m, 30m, 2h, 24h, then the delivery is marked failed.
    retrySchedule: ['1m', '5m', '30m', '2h', '24h'],
    // Seed 004 "Setting Up Webhooks": a test ping must be answered 200 when the webhook is saved.
    verifyOnCreate: true,
  },
};

export const PRODUCT_PROFILE_NAMES = Object.keys(PRODUCT_PROFILES) as ProductProfileName[];

/** The settings a profile names, in the order they are listed (and reported as overrides). */
export const PRODUCT_PROFILE_SETTINGS: readonly (keyof ProductProfileSettings)[] = [
  'payloadProfile',
  'signatureScheme',
  'signatureHeader',
  'retrySchedule',
  'verifyOnCreate',
];
