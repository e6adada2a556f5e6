import type { EndpointEntity, SigningSecretEntity } from '@herald/persistence';
import type { EndpointView } from '../dto/endpoint.dto';
import type { Principal } from '../auth/principal';
import { roleAllows } from '../auth/workspace-role.policy';

/** The API's view of an endpoint: everything but secret material. */
export function toEndpointView(endpoint: EndpointEntity, secrets: SigningSecretEntity[]): EndpointView {
  return {
    id: endpoint.id,
    workspaceId: endpoint.workspaceId,
    version: endpoint.version,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    filter: endpoint.filter,
    description: endpoint.description,
    payloadProfile: endpoint.payloadProfile,
    signatureScheme: endpoint.signatureScheme,
    signatureHeader: endpoint.signatureHeader,
    headers: endpoint.headers,
    timeoutMs: endpoint.timeoutMs,
    maxInFlight: endpoint.maxInFlight,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
    retrySchedule: endpoint.retrySchedule,
    fifo: endpoint.fifo,
    disabled: endpoint.disabled,
    disabledReason: endpoint.disabledReason,
    secrets: secrets.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt ? s.expiresAt.toISOString() : null,
    })),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** Custom header values often carry the receiver's credentials: only roles that may see secrets see them. */
export function forPrincipal(view: EndpointView, principal: Principal): EndpointView {
  if (principal.kind === 'operator' || roleAllows(principal.role, 'secrets.read')) return view;
  return {
    ...view,
    headers: Object.fromEntries(Object.keys(view.headers).map((name) => [name, '[redacted]'])),
  };
}
