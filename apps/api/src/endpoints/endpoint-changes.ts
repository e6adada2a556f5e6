import { DomainError, ErrorCode } from '@herald/contracts';
import type { EndpointEntity } from '@herald/persistence';
import { openHeaders, sealHeaders, type HeaderCipher } from '@herald/signing';
import type { UpdateEndpointDto } from '../dto/endpoint.dto';

export type EndpointChanges = Omit<UpdateEndpointDto, 'url'> & { url?: string };

/** Fields whose change alters which header carries the signature. */
export function changesSigning(changes: EndpointChanges): boolean {
  return (
    changes.signatureScheme !== undefined ||
    changes.signatureHeader !== undefined ||
    changes.payloadProfile !== undefined
  );
}

/**
 * Applies the sent fields to the endpoint in place (url already canonical) and says whether any
 * stored value changed. Switching between ed25519 and HMAC is refused: it needs a new kind of secret.
 * Custom headers are sealed, so they are compared and applied by applyHeaderChange, not here.
 */
export function applyEndpointChanges(endpoint: EndpointEntity, changes: EndpointChanges): boolean {
  const before = JSON.stringify(endpoint);
  const set = <K extends keyof EndpointChanges & keyof EndpointEntity>(key: K) => {
    if (changes[key] !== undefined) (endpoint as unknown as Record<string, unknown>)[key] = changes[key];
  };
  if (changes.signatureScheme !== undefined && changes.signatureScheme !== endpoint.signatureScheme) {
    const ed = (s: string) => s === 'ed25519';
    if (ed(changes.signatureScheme) !== ed(endpoint.signatureScheme)) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'switching between ed25519 and HMAC schemes needs a new endpoint',
        { fields: [{ field: 'signatureScheme', message: 'cannot switch between ed25519 and HMAC' }] },
      );
    }
  }
  for (const key of [
    'url',
    'eventTypes',
    'filter',
    'description',
    'productProfile',
    'payloadProfile',
    'signatureScheme',
    'signatureHeader',
    'timeoutMs',
    'maxInFlight',
    'rateLimitPerSecond',
    'eventVersion',
    'line',
    'retrySchedule',
    'fifo',
  ] as const)
    set(key);
  if (changes.disabled !== undefined && changes.disabled !== endpoint.disabled) {
    endpoint.disabled = changes.disabled;
    endpoint.disabledReason = changes.disabled ? 'disabled by a user' : null;
  }
  return JSON.stringify(endpoint) !== before;
}

/** The endpoint's custom headers in clear (legacy clear values included). */
export function currentHeaders(endpoint: EndpointEntity, cipher: HeaderCipher): Record<string, string> {
  return openHeaders(cipher, endpoint.sealedHeaders, endpoint.legacyHeaders);
}

/**
 * Replaces the endpoint's custom headers with `headers`, sealed, when they differ in clear from the
 * stored ones (sealing is randomised, so envelopes never compare equal). Says whether anything changed.
 */
export function applyHeaderChange(
  endpoint: EndpointEntity,
  headers: Record<string, string> | undefined,
  cipher: HeaderCipher,
): boolean {
  if (headers === undefined) return false;
  const same =
    Object.keys(endpoint.legacyHeaders).length === 0 &&
    JSON.stringify(currentHeaders(endpoint, cipher)) === JSON.stringify(headers);
  if (same) return false;
  endpoint.sealedHeaders = sealHeaders(cipher, headers);
  endpoint.legacyHeaders = {};
  return true;
}
