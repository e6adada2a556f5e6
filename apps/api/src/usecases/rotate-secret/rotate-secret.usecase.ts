import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, parseDuration, type SignatureScheme } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { checkSuppliedSecret, generateSigningSecret, SecretCipher } from '@herald/signing';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import type { RotatedSecretView } from '../../dto/endpoint.dto';

export const DEFAULT_GRACE_MS = 24 * 3_600_000;
export const MAX_GRACE_MS = 7 * 24 * 3_600_000;

/**
 * Schemes whose receivers compare one signature value: they are signed with the current key only
 * (see signWebhook), so an old secret cannot keep working during a grace period.
 */
export function signsWithOneKey(scheme: SignatureScheme): boolean {
  return scheme !== 'standard-webhooks' && scheme !== 'ed25519';
}

/**
 * Parses a grace period between 0s and 7d; the default is 24h. For one-key schemes the only honest
 * grace is none: it defaults to 0 and anything longer is refused (422) rather than reported.
 */
export function parseGracePeriod(
  text: string | undefined,
  scheme: SignatureScheme = 'standard-webhooks',
): number {
  if (text === undefined) return signsWithOneKey(scheme) ? 0 : DEFAULT_GRACE_MS;
  let ms: number;
  try {
    ms = text.trim() === '0' ? 0 : parseDuration(text);
  } catch (error) {
    throw new DomainError(ErrorCode.ValidationFailed, (error as Error).message, {
      fields: [{ field: 'gracePeriod', message: 'expected a duration like 0s, 30m, 24h or 7d' }],
    });
  }
  if (ms < 0 || ms > MAX_GRACE_MS) {
    throw new DomainError(ErrorCode.ValidationFailed, 'gracePeriod must be between 0s and 7d', {
      fields: [{ field: 'gracePeriod', message: 'must be between 0s and 7d' }],
    });
  }
  if (ms > 0 && signsWithOneKey(scheme)) {
    const message =
      `${scheme} sends one signature, made with the current secret only, so the previous secret ` +
      'cannot keep working: rotate with gracePeriod 0s (receivers switch at once) or use standard-webhooks';
    throw new DomainError(ErrorCode.ValidationFailed, message, {
      fields: [{ field: 'gracePeriod', message: `must be 0s for ${scheme}` }],
      status: 422,
    });
  }
  return ms;
}

/**
 * Issues a new current secret. With Standard Webhooks or ed25519 the previous current secret keeps
 * signing until the grace period ends (receivers accept any signature), then drops out; secrets
 * already past their expiry are deleted. One-key schemes switch at once (see parseGracePeriod). The
 * new secret is generated unless the caller supplies one.
 */
@Injectable()
export class RotateSecretUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
  ) {}

  async execute(command: {
    workspaceId: string;
    endpointId: string;
    gracePeriod?: string;
    /** The caller's own new secret (supplied-secret.policy); otherwise one is generated. */
    secret?: string;
  }): Promise<RotatedSecretView> {
    return this.endpoints.transaction(async (manager) => {
      const endpoint = await this.endpoints.lock(manager, command.workspaceId, command.endpointId);
      if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
      const graceMs = parseGracePeriod(command.gracePeriod, endpoint.signatureScheme);
      const scheme = endpoint.signatureScheme;
      // Checked before anything changes: a refused secret leaves the current one signing.
      const generated =
        command.secret !== undefined
          ? checkSuppliedSecret(scheme, command.secret)
          : generateSigningSecret(scheme);
      const now = new Date();
      const previousExpiresAt = new Date(now.getTime() + graceMs);
      const secrets = await this.endpoints.secrets(endpoint.id, manager);
      const expired = secrets.filter((s) => s.expiresAt !== null && s.expiresAt <= now);
      const current = secrets.filter((s) => s.expiresAt === null);
      for (const secret of current) secret.expiresAt = previousExpiresAt;
      // With no grace period the old secret stops signing now, so it need not be kept at all.
      await this.endpoints.removeSecrets(
        manager,
        [...expired, ...(graceMs === 0 ? current : [])].map((s) => s.id),
      );
      if (graceMs > 0) await this.endpoints.saveSecrets(manager, current);
      const fresh = {
        id: randomUUID(),
        endpointId: endpoint.id,
        workspaceId: endpoint.workspaceId,
        ciphertext: this.cipher.encrypt(generated.secret),
        publicKey: generated.publicKey,
        createdAt: now,
        expiresAt: null,
      };
      await this.endpoints.saveSecrets(manager, [fresh]);
      endpoint.version += 1;
      endpoint.updatedAt = now;
      await this.endpoints.save(manager, endpoint);
      await this.publisher.publish(manager, endpoint);
      return {
        id: fresh.id,
        secret: generated.secret,
        publicKey: generated.publicKey,
        previousExpiresAt: current.length > 0 ? previousExpiresAt.toISOString() : null,
      };
    });
  }
}
