import { createHash } from 'node:crypto';

/**
 * The same (endpoint, event, workspace) always yields the same delivery id, so a fan-out replayed
 * after a crash produces records downstream projections collapse, and receivers see one webhook-id.
 * Rendered as an RFC 9562 version-8 (custom) UUID.
 */
export function deliveryIdFor(endpointId: string, eventId: string, workspaceId: string): string {
  const hash = createHash('sha256').update(`${endpointId}\u0000${eventId}\u0000${workspaceId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x80;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
