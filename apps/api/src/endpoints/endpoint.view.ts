import { REDACTED } from '@herald/delivery';
import type { EndpointEntity, SigningSecretEntity } from '@herald/persistence';
import type { EndpointView } from '../dto/endpoint.dto';
import { profileOverrides } from './product-profile.policy';

/**
 * The API's view of an endpoint: everything but secret material. Custom header values are write-only,
 * like the credentials they usually are: every role sees the names, each value `[redacted]`.
 */
export function toEndpointView(endpoint: EndpointEntity, secrets: SigningSecretEntity[]): EndpointView {
  return {
    id: endpoint.id,
    workspaceId: endpoint.workspaceId,
    version: endpoint.version,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    filter: endpoint.filter,
    description: endpoint.description,
    productProfile: endpoint.productProfile,
    profileOverrides: profileOverrides(endpoint.productProfile, endpoint),
    payloadProfile: endpoint.payloadProfile,
    signatureScheme: endpoint.signatureScheme,
    signatureHeader: endpoint.signatureHeader,
    headers: Object.fromEntries(
      [...Object.keys(endpoint.legacyHeaders), ...Object.keys(endpoint.sealedHeaders)].map((name) => [
        name,
        REDACTED,
      ]),
    ),
    timeoutMs: endpoint.timeoutMs,
    maxInFlight: endpoint.maxInFlight,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
    eventVersion: endpoint.eventVersion,
    line: endpoint.line,
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
