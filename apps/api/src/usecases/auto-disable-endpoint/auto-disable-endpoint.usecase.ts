import { Inject, Injectable } from '@nestjs/common';
import { type AutoDisableEndpointCommand, operationalEventRecord } from '@herald/contracts';
import { HeraldProducer } from '@herald/kafka';
import { EndpointRepository } from '@herald/persistence';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import { decideAutoDisable, type AutoDisableDecision } from './auto-disable.policy';

/**
 * Applies an auto-disable requested by the dispatcher on the same ordered path as the API's own
 * edits: under the endpoint's row lock, compare-and-set on the observed version, a version bump, the
 * snapshot published before commit, and an `endpoint.disabled` operational event so it is never silent.
 */
@Injectable()
export class AutoDisableEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
  ) {}

  execute(command: AutoDisableEndpointCommand): Promise<AutoDisableDecision> {
    return this.endpoints.transaction(async (manager) => {
      const endpoint = await this.endpoints.lock(manager, command.workspaceId, command.endpointId);
      const decision = decideAutoDisable(endpoint, command);
      if (!decision.apply || !endpoint) return decision;
      const now = new Date();
      endpoint.disabled = true;
      endpoint.disabledReason = decision.disabledReason;
      endpoint.version += 1;
      endpoint.updatedAt = now;
      await this.endpoints.save(manager, endpoint);
      await this.publisher.publish(manager, endpoint);
      await this.producer.send([
        operationalEventRecord({
          type: 'endpoint.disabled',
          workspaceId: endpoint.workspaceId,
          endpointId: endpoint.id,
          deliveryId: command.deliveryId,
          reason: command.reason,
          at: now.toISOString(),
          details: { cause: command.reason },
        }),
      ]);
      return decision;
    });
  }
}
