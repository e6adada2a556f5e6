import type { AutoDisableEndpointCommand } from '@herald/contracts';

export type AutoDisableDecision =
  | { apply: true; disabledReason: string }
  | { apply: false; skipped: 'endpoint_not_found' | 'version_changed' | 'already_disabled' };

const REASONS: Record<AutoDisableEndpointCommand['reason'], string> = {
  endpoint_gone: 'auto-disabled: the endpoint answered 410 Gone',
  endpoint_failing: 'auto-disabled: no successful delivery within the auto-disable window',
};

/**
 * Compare-and-set: an auto-disable applies only to the state it was decided on. If the endpoint has
 * moved on (a user edited, re-enabled or rotated it since), the failures were seen against another
 * configuration and the command is dropped; an endpoint already disabled stays as it is.
 */
export function decideAutoDisable(
  endpoint: { version: number; disabled: boolean } | null,
  command: Pick<AutoDisableEndpointCommand, 'observedVersion' | 'reason'>,
): AutoDisableDecision {
  if (!endpoint) return { apply: false, skipped: 'endpoint_not_found' };
  if (endpoint.version !== command.observedVersion) return { apply: false, skipped: 'version_changed' };
  if (endpoint.disabled) return { apply: false, skipped: 'already_disabled' };
  return { apply: true, disabledReason: REASONS[command.reason] };
}
