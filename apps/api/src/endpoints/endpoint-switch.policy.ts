import type { OperationalEvent } from '@herald/contracts';

type SwitchEvent = Pick<OperationalEvent, 'type' | 'reason' | 'details'>;

/**
 * The operational event a user's change of `disabled` announces: `endpoint.enabled` when a disabled
 * endpoint (by a user or by auto-disable) is switched back on, `endpoint.disabled` (cause `manual`)
 * when an enabled one is switched off; null when the state stays as it was.
 */
export function endpointSwitchEvent(wasDisabled: boolean, isDisabled: boolean): SwitchEvent | null {
  if (wasDisabled === isDisabled) return null;
  return isDisabled
    ? { type: 'endpoint.disabled', reason: 'disabled through the API', details: { cause: 'manual' } }
    : { type: 'endpoint.enabled', reason: 'enabled through the API' };
}
