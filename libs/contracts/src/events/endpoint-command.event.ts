import { Topics } from '../topics';
import type { HeraldRecord } from './herald-record';

/**
 * A change to an endpoint requested by a service that does not own endpoints (the dispatcher), on
 * `herald.endpoint-commands` keyed by endpoint id. The API is the only writer of endpoint snapshots:
 * it applies a command only if the endpoint is still at `observedVersion` (compare-and-set), so a
 * request based on a state the user has since edited is dropped instead of colliding with the edit.
 */
export interface AutoDisableEndpointCommand {
  kind: 'EndpointCommand';
  type: 'endpoint.auto_disable';
  endpointId: string;
  workspaceId: string;
  /** The snapshot version the failures were seen against. */
  observedVersion: number;
  /** `endpoint_gone` (a 410) or `endpoint_failing` (no success for the auto-disable window). */
  reason: 'endpoint_gone' | 'endpoint_failing';
  /** The attempt that tipped it, for the operator. */
  deliveryId: string | null;
  requestedAt: string;
}

export type EndpointCommand = AutoDisableEndpointCommand;

export function autoDisableEndpointCommand(
  fields: Omit<AutoDisableEndpointCommand, 'kind' | 'type'>,
): AutoDisableEndpointCommand {
  return { kind: 'EndpointCommand', type: 'endpoint.auto_disable', ...fields };
}

export function encodeEndpointCommand(command: EndpointCommand): string {
  return JSON.stringify(command);
}

/** The `herald.endpoint-commands` record of a command, keyed by endpoint id. */
export function endpointCommandRecord(command: EndpointCommand): HeraldRecord {
  return { topic: Topics.endpointCommands, key: command.endpointId, value: encodeEndpointCommand(command) };
}

/** The command in `value`, or a reason it is not one; never throws. */
export function decodeEndpointCommand(
  value: Buffer | string | null,
): { ok: true; command: EndpointCommand } | { ok: false; reason: string } {
  if (value === null) return { ok: false, reason: 'empty record' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const c = parsed as Partial<AutoDisableEndpointCommand> | null;
  if (!c || c.kind !== 'EndpointCommand' || c.type !== 'endpoint.auto_disable') {
    return { ok: false, reason: 'unknown command type' };
  }
  if (typeof c.endpointId !== 'string' || typeof c.workspaceId !== 'string') {
    return { ok: false, reason: 'endpointId and workspaceId are required' };
  }
  if (!Number.isInteger(c.observedVersion))
    return { ok: false, reason: 'observedVersion must be an integer' };
  if (c.reason !== 'endpoint_gone' && c.reason !== 'endpoint_failing') {
    return { ok: false, reason: `unknown reason ${String(c.reason)}` };
  }
  if (typeof c.requestedAt !== 'string') return { ok: false, reason: 'requestedAt is required' };
  return { ok: true, command: c as AutoDisableEndpointCommand };
}
