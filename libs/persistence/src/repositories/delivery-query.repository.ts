import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TEST_PING_TRIGGER } from '@herald/contracts';
import { DeliveryEntity, type DeliveryStatus } from '../entities/delivery.entity';
import { AttemptEntity } from '../entities/attempt.entity';
import { OperationalEventEntity } from '../entities/operational-event.entity';

export interface DeliveryListQuery {
  workspaceId: string;
  endpointId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  eventId?: string;
  /** true: only test pings; false: only real deliveries; absent: both. */
  test?: boolean;
  /** Inclusive lower bound on when the delivery was requested. */
  since?: Date;
  /** Exclusive upper bound. */
  until?: Date;
  limit: number;
  /** Position after which the page starts (newest first). */
  after?: { createdAt: Date; deliveryId: string };
}

/** Read side of the delivery projections, always scoped to one workspace. */
@Injectable()
export class DeliveryQueryRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(query: DeliveryListQuery): Promise<DeliveryEntity[]> {
    const qb = this.db
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.workspace_id = :ws', { ws: query.workspaceId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.delivery_id', 'DESC')
      .take(query.limit);
    if (query.endpointId) qb.andWhere('d.endpoint_id = :endpointId', { endpointId: query.endpointId });
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.eventType) qb.andWhere('d.event_type = :eventType', { eventType: query.eventType });
    if (query.eventId) qb.andWhere('d.event_id = :eventId', { eventId: query.eventId });
    if (query.test === true) qb.andWhere('d.trigger = :test', { test: TEST_PING_TRIGGER });
    if (query.test === false) qb.andWhere('d.trigger IS DISTINCT FROM :test', { test: TEST_PING_TRIGGER });
    if (query.since) qb.andWhere('d.created_at >= :since', { since: query.since });
    if (query.until) qb.andWhere('d.created_at < :until', { until: query.until });
    if (query.after) {
      qb.andWhere('(d.created_at, d.delivery_id) < (:afterAt, :afterId)', {
        afterAt: query.after.createdAt,
        afterId: query.after.deliveryId,
      });
    }
    return qb.getMany();
  }

  find(workspaceId: string, deliveryId: string): Promise<DeliveryEntity | null> {
    return this.db.getRepository(DeliveryEntity).findOneBy({ workspaceId, deliveryId });
  }

  attempts(workspaceId: string, deliveryId: string): Promise<AttemptEntity[]> {
    return this.db
      .getRepository(AttemptEntity)
      .find({ where: { workspaceId, deliveryId }, order: { attempt: 'ASC', startedAt: 'ASC' } });
  }

  /**
   * Failed deliveries of one endpoint requested in [since, until), oldest first, for a recover job.
   * Failed test pings are left out: they are never sent again.
   */
  failedInWindow(
    workspaceId: string,
    endpointId: string,
    since: Date,
    until: Date,
    after: { createdAt: Date; deliveryId: string } | null,
    limit: number,
  ): Promise<DeliveryEntity[]> {
    const qb = this.db
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.workspace_id = :ws AND d.endpoint_id = :endpointId AND d.status = :status', {
        ws: workspaceId,
        endpointId,
        status: 'failed',
      })
      .andWhere('d.trigger IS DISTINCT FROM :test', { test: TEST_PING_TRIGGER })
      .andWhere('d.created_at >= :since AND d.created_at < :until', { since, until })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.delivery_id', 'ASC')
      .take(limit);
    if (after) {
      qb.andWhere('(d.created_at, d.delivery_id) > (:afterAt, :afterId)', {
        afterAt: after.createdAt,
        afterId: after.deliveryId,
      });
    }
    return qb.getMany();
  }

  async countFailedInWindow(
    workspaceId: string,
    endpointId: string,
    since: Date,
    until: Date,
  ): Promise<number> {
    return this.db
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.workspace_id = :ws AND d.endpoint_id = :endpointId AND d.status = :status', {
        ws: workspaceId,
        endpointId,
        status: 'failed',
      })
      .andWhere('d.trigger IS DISTINCT FROM :test', { test: TEST_PING_TRIGGER })
      .andWhere('d.created_at >= :since AND d.created_at < :until', { since, until })
      .getCount();
  }

  /** State changes of one endpoint (disabled, circuit opened...), newest first. */
  operationalEvents(
    workspaceId: string,
    endpointId: string,
    limit: number,
  ): Promise<OperationalEventEntity[]> {
    return this.db
      .getRepository(OperationalEventEntity)
      .find({ where: { workspaceId, endpointId }, order: { at: 'DESC', id: 'DESC' }, take: limit });
  }
}
