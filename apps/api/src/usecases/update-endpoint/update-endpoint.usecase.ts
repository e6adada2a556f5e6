import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, operationalEventRecord, type SignatureScheme } from '@herald/contracts';
import { HeraldProducer } from '@herald/kafka';
import { EndpointRepository, WorkspaceRepository, type EndpointEntity } from '@herald/persistence';
import { schemeChangeRefusal, SecretCipher } from '@herald/signing';
import type { EntityManager } from 'typeorm';
import {
  applyEndpointChanges,
  applyHeaderChange,
  changesSigning,
  currentHeaders,
} from '../../endpoints/endpoint-changes';
import { EndpointSettingsPolicy } from '../../endpoints/endpoint-settings.policy';
import { endpointSwitchEvent } from '../../endpoints/endpoint-switch.policy';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import { withProductProfile } from '../../endpoints/product-profile.policy';
import { toEndpointView } from '../../endpoints/endpoint.view';
import type { EndpointView, UpdateEndpointDto } from '../../dto/endpoint.dto';

export type UpdateEndpointCommand = UpdateEndpointDto & {
  workspaceId: string;
  endpointId: string;
  /** Keep the version (and publish nothing) when no stored value changes: re-registration. */
  onlyIfChanged?: boolean;
};

/**
 * Applies a partial change, bumps the version and publishes the new snapshot, all under the row
 * lock, so every writer of an endpoint (edits, rotations, auto-disable) gets consecutive versions.
 * Switching `disabled` is announced on herald.operational (`endpoint.enabled`, `endpoint.disabled`).
 */
@Injectable()
export class UpdateEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSettingsPolicy) private readonly policy: EndpointSettingsPolicy,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(HeraldProducer) private readonly producer: Pick<HeraldProducer, 'send'>,
  ) {}

  async execute(command: UpdateEndpointCommand): Promise<EndpointView> {
    const { workspaceId, endpointId, onlyIfChanged, ...request } = command;
    // A profile in the PATCH re-applies its settings except those sent with it; verify-on-create is
    // create-only. Null, or a PATCH of single settings, keeps the other settings as they are.
    const { verifyOnCreate: _createOnly, ...changes } = withProductProfile(
      request as typeof request & { verifyOnCreate?: boolean },
      this.policy.retryTiersMs,
    );
    try {
      return await this.endpoints.transaction(async (manager) => {
        const endpoint = await this.endpoints.lock(manager, workspaceId, endpointId);
        if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${endpointId} not found`);
        if (changes.signatureScheme) await this.checkSecretsFit(manager, endpoint, changes.signatureScheme);
        // The custom headers are checked against the signature header the endpoint will have after
        // this change, so a new scheme or header name cannot collide with a header set earlier.
        const { url } = this.policy.check({
          ...changes,
          signatureScheme: changes.signatureScheme ?? endpoint.signatureScheme,
          signatureHeader:
            changes.signatureHeader !== undefined ? changes.signatureHeader : endpoint.signatureHeader,
          headers:
            changes.headers ?? (changesSigning(changes) ? currentHeaders(endpoint, this.cipher) : undefined),
          egressAllowCidrs:
            changes.url !== undefined
              ? await this.workspaces.egressAllowCidrs(workspaceId, manager)
              : undefined,
        });
        const wasDisabled = endpoint.disabled;
        const changedHeaders = applyHeaderChange(endpoint, changes.headers, this.cipher);
        const changed = applyEndpointChanges(endpoint, { ...changes, url }) || changedHeaders;
        if (!changed && onlyIfChanged) {
          return toEndpointView(endpoint, await this.endpoints.secrets(endpoint.id, manager));
        }
        endpoint.version += 1;
        endpoint.updatedAt = new Date();
        await this.endpoints.save(manager, endpoint);
        const { secrets } = await this.publisher.publish(manager, endpoint);
        // Switched on or off: announced after the snapshot, on the same key, before commit.
        const switched = endpointSwitchEvent(wasDisabled, endpoint.disabled);
        if (switched) {
          await this.producer.send([
            operationalEventRecord({
              ...switched,
              workspaceId,
              endpointId: endpoint.id,
              deliveryId: null,
              at: endpoint.updatedAt.toISOString(),
            }),
          ]);
        }
        return toEndpointView(endpoint, secrets);
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          ErrorCode.Conflict,
          'another endpoint in this workspace already uses this URL',
          {
            fields: [{ field: 'url', message: 'already used by another endpoint' }],
          },
        );
      }
      throw error;
    }
  }

  /** The secrets stay across a scheme change, so they must fit the new one (a supplied hmac-* string may not). */
  private async checkSecretsFit(manager: EntityManager, endpoint: EndpointEntity, to: SignatureScheme) {
    const from = endpoint.signatureScheme;
    // Switching to or from ed25519 is refused with its own message (endpoint-changes.ts).
    if (to === from || to === 'ed25519' || from === 'ed25519') return;
    const now = new Date();
    const active = (await this.endpoints.secrets(endpoint.id, manager)).filter(
      (s) => s.expiresAt === null || s.expiresAt > now,
    );
    const refusal = schemeChangeRefusal(
      to,
      active.map((s) => this.cipher.decrypt(s.ciphertext)),
    );
    if (refusal) throw refusal;
  }
}
