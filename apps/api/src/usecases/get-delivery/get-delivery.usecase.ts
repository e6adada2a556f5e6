import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { DeliveryQueryRepository } from '@herald/persistence';
import type { DeliveryDetailView } from '../../dto/delivery.dto';
import { WorkspaceRetentionService } from '../../retention/workspace-retention.service';
import { toDetailView } from '../list-deliveries/delivery.view';

/** One delivery with every attempt's request, response, outcome and duration. */
@Injectable()
export class GetDeliveryUseCase {
  constructor(
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async execute(command: { workspaceId: string; deliveryId: string }): Promise<DeliveryDetailView> {
    const retention = await this.retention.forWorkspace(command.workspaceId);
    const delivery = await this.deliveries.find(
      command.workspaceId,
      command.deliveryId,
      retention.recordsSince,
    );
    if (!delivery) throw new DomainError(ErrorCode.NotFound, `delivery ${command.deliveryId} not found`);
    const attempts = await this.deliveries.attempts(delivery);
    return toDetailView(delivery, attempts, retention);
  }
}
