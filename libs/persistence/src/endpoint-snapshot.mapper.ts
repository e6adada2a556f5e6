import type { EndpointSnapshot } from '@herald/contracts';
import type { EndpointEntity } from './entities/endpoint.entity';
import type { SigningSecretEntity } from './entities/signing-secret.entity';

/** The snapshot published to `herald.subscriptions`: the endpoint row plus its sealed secrets and header values. */
export function toEndpointSnapshot(
  endpoint: EndpointEntity,
  secrets: SigningSecretEntity[],
  /** The workspace's egress allowlist, carried to the dispatcher on each of its endpoints. */
  egressAllowCidrs: readonly string[] = [],
): EndpointSnapshot {
  return {
    id: endpoint.id,
    workspaceId: endpoint.workspaceId,
    version: endpoint.version,
    url: endpoint.url,
    eventTypes: [...endpoint.eventTypes],
    filter: endpoint.filter,
    description: endpoint.description,
    payloadProfile: endpoint.payloadProfile,
    signatureScheme: endpoint.signatureScheme,
    signatureHeader: endpoint.signatureHeader,
    secrets: [...secrets]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((secret) => ({
        id: secret.id,
        ciphertext: secret.ciphertext,
        createdAt: secret.createdAt.toISOString(),
        expiresAt: secret.expiresAt ? secret.expiresAt.toISOString() : null,
      })),
    headers: { ...endpoint.legacyHeaders },
    sealedHeaders: { ...endpoint.sealedHeaders },
    timeoutMs: endpoint.timeoutMs,
    maxInFlight: endpoint.maxInFlight,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
    retrySchedule: endpoint.retrySchedule,
    fifo: endpoint.fifo,
    disabled: endpoint.disabled,
    disabledReason: endpoint.disabledReason,
    // Only when pinned, so unpinned snapshots read as they did before pins existed.
    ...(endpoint.eventVersion != null ? { eventVersion: endpoint.eventVersion } : {}),
    ...(endpoint.line != null ? { line: endpoint.line } : {}),
    ...(egressAllowCidrs.length > 0 ? { egressAllowCidrs: [...egressAllowCidrs] } : {}),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

export function fromEndpointSnapshot(snapshot: EndpointSnapshot): {
  endpoint: EndpointEntity;
  secrets: SigningSecretEntity[];
} {
  const endpoint = {
    id: snapshot.id,
    workspaceId: snapshot.workspaceId,
    version: snapshot.version,
    url: snapshot.url,
    eventTypes: snapshot.eventTypes,
    filter: snapshot.filter,
    description: snapshot.description,
    payloadProfile: snapshot.payloadProfile,
    signatureScheme: snapshot.signatureScheme,
    signatureHeader: snapshot.signatureHeader,
    legacyHeaders: snapshot.headers ?? {},
    // Snapshots published before header sealing have no sealedHeaders.
    sealedHeaders: snapshot.sealedHeaders ?? {},
    timeoutMs: snapshot.timeoutMs,
    maxInFlight: snapshot.maxInFlight,
    rateLimitPerSecond: snapshot.rateLimitPerSecond,
    retrySchedule: snapshot.retrySchedule,
    fifo: snapshot.fifo,
    disabled: snapshot.disabled,
    disabledReason: snapshot.disabledReason,
    eventVersion: snapshot.eventVersion ?? null,
    line: snapshot.line ?? null,
    createdAt: new Date(snapshot.createdAt),
    updatedAt: new Date(snapshot.updatedAt),
  } as EndpointEntity;
  const secrets = snapshot.secrets.map(
    (secret) =>
      ({
        id: secret.id,
        endpointId: snapshot.id,
        workspaceId: snapshot.workspaceId,
        ciphertext: secret.ciphertext,
        publicKey: null,
        createdAt: new Date(secret.createdAt),
        expiresAt: secret.expiresAt ? new Date(secret.expiresAt) : null,
      }) as SigningSecretEntity,
  );
  return { endpoint, secrets };
}
