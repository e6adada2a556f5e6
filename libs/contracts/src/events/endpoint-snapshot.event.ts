/**
 * The full state of one endpoint, published to the compacted `herald.subscriptions` topic keyed by
 * endpoint id. A tombstone (null value) deletes it. Routers and dispatchers build their in-memory
 * view from this topic, so the hot path never reads Postgres.
 */
export type PayloadProfile = 'herald' | 'messagedesk' | 'messages-dev' | 'nexadesk';
export const PAYLOAD_PROFILES: readonly PayloadProfile[] = [
  'herald',
  'messagedesk',
  'messages-dev',
  'nexadesk',
];

export type SignatureScheme =
  'standard-webhooks' | 'ed25519' | 'hmac-base64' | 'hmac-hex' | 'hmac-sha256-prefixed';
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = [
  'standard-webhooks',
  'ed25519',
  'hmac-base64',
  'hmac-hex',
  'hmac-sha256-prefixed',
];

export interface EncryptedSecret {
  id: string;
  /** AES-256-GCM envelope produced by the signing lib's secret cipher; never the plain secret. */
  ciphertext: string;
  createdAt: string;
  /** Set while a rotation's grace period lasts; null for the current key. */
  expiresAt: string | null;
}

export interface EndpointSnapshot {
  id: string;
  workspaceId: string;
  /** Monotonic per endpoint; consumers ignore snapshots older than what they hold. */
  version: number;
  url: string;
  eventTypes: string[];
  /** Schema version pinned (see event-version.policy); null or absent (older snapshots) takes all. */
  eventVersion?: number | null;
  /** The one line (Messages.dev) it takes events of, matched on data.lineId; absent takes every line. */
  line?: string | null;
  filter: Record<string, unknown> | null;
  description: string | null;
  payloadProfile: PayloadProfile;
  signatureScheme: SignatureScheme;
  /** Header name for compatibility profiles (e.g. X-NexaDesk-Signature). */
  signatureHeader: string | null;
  secrets: EncryptedSecret[];
  /**
   * Custom headers in clear: only on snapshots of endpoints whose headers were saved before header
   * values were sealed (until `herald rekey` seals them or the endpoint's headers change). New values
   * go to sealedHeaders.
   */
  headers: Record<string, string>;
  /** Custom headers, name to secret-cipher envelope of the value (values are receivers' credentials). */
  sealedHeaders?: Record<string, string>;
  timeoutMs: number;
  maxInFlight: number;
  rateLimitPerSecond: number | null;
  /** Delays between attempts, e.g. ["1m","5m","30m","2h","24h"]; null means the default schedule. */
  retrySchedule: string[] | null;
  fifo: boolean;
  disabled: boolean;
  disabledReason: string | null;
  /**
   * The workspace's egress allowlist (CIDRs), copied onto each of its endpoints and republished with
   * a new version when it changes; the dispatcher opens it for this endpoint only. Absent: none.
   */
  egressAllowCidrs?: string[];
  createdAt: string;
  updatedAt: string;
}

/** The snapshot in `value` if it is one of endpoint `id` (id and numeric version); never throws. */
export function decodeEndpointSnapshot(value: Buffer | string, id: string): EndpointSnapshot | undefined {
  try {
    const snapshot = JSON.parse(value.toString()) as Partial<EndpointSnapshot> | null;
    return snapshot?.id === id && typeof snapshot.version === 'number'
      ? (snapshot as EndpointSnapshot)
      : undefined;
  } catch {
    return undefined;
  }
}
