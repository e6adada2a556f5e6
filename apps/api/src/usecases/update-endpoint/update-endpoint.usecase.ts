import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { EndpointSettingsPolicy } from '../../endpoints/endpoint-settings.policy';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import { toEndpointView } from '../../endpoints/endpoint.view';
import type { EndpointView, UpdateEndpointDto } from '../../dto/endpoint.dto';

export type UpdateEndpointCommand = UpdateEndpointDto & { workspaceId: string; endpointId: string };

/** Applies a partial change, bumps the version and publishes the new snapshot. */
@Injectable()
export class UpdateEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSettingsPolicy) private readonly policy: EndpointSettingsPolicy,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
  ) {}

  async execute(command: UpdateEndpointCommand): Promise<EndpointView> {
    const { workspaceId, endpointId, ...changes } = command;
    try {
      return await this.endpoints.transaction(async (manager) => {
        const endpoint = await this.endpoints.lock(manager, workspaceId, endpointId);
        if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${endpointId} not found`);
        const { url } = this.policy.check({
          ...changes,
          signatureScheme: changes.signatureScheme ?? endpoint.signatureScheme,
          signatureHeader:
            changes.signatureHeader !== undefined ? changes.signatureHeader : endpoint.signatureHeader,
          headers: changes.headers ?? (changes.signatureHeader !== undefined ? endpoint.headers : undefined),
        });
        if (url !== undefined) endpoint.url = url;
        if (changes.eventTypes !== undefined) endpoint.eventTypes = changes.eventTypes;
        if (changes.filter !== undefined) endpoint.filter = changes.filter;
        if (changes.description !== undefined) endpoint.description = changes.description;
        if (changes.payloadProfile !== undefined) endpoint.payloadProfile = changes.payloadProfile;
        if (changes.signatureHeader !== undefined) endpoint.signatureHeader = changes.signatureHeader;
        if (changes.headers !== undefined) endpoint.headers = changes.headers;
        if (changes.timeoutMs !== undefined) endpoint.timeoutMs = changes.timeoutMs;
        if (changes.maxInFlight !== undefined) endpoint.maxInFlight = changes.maxInFlight;
        if (changes.rateLimitPerSecond !== undefined)
          endpoint.rateLimitPerSecond = changes.rateLimitPerSecond;
        if (changes.retrySchedule !== undefined) endpoint.retrySchedule = changes.retrySchedule;
        if (changes.fifo !== undefined) endpoint.fifo = changes.fifo;
        if (changes.signatureScheme !== undefined && changes.signatureScheme !== endpoint.signatureScheme) {
          // A new scheme needs a new kind of secret; rotate does that, with its grace period.
          const ed = (s: string) => s === 'ed25519';
          if (ed(changes.signatureScheme) !== ed(endpoint.signatureScheme)) {
            throw new DomainError(
              ErrorCode.ValidationFailed,
              'switching between ed25519 and HMAC schemes needs a new endpoint',
              { fields: [{ field: 'signatureScheme', message: 'cannot switch between ed25519 and HMAC' }] },
            );
          }
          endpoint.signatureScheme = changes.signatureScheme;
        }
        if (changes.disabled !== undefined) {
          endpoint.disabled = changes.disabled;
          endpoint.disabledReason = changes.disabled ? 'disabled by a user' : null;
        }
        endpoint.version += 1;
        endpoint.updatedAt = new Date();
        await this.endpoints.save(manager, endpoint);
        const { secrets } = await this.publisher.publish(manager, endpoint);
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
}
