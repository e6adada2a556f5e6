import { DomainError, ErrorCode } from '@herald/contracts';
import type { EndpointEntity } from '@herald/persistence';
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
    'payloadProfile',
    'signatureScheme',
    'signatureHeader',
    'headers',
    'timeoutMs',
    'maxInFlight',
    'rateLimitPerSecond',
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
