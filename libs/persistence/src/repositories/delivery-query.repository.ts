import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { TEST_PING_TRIGGER } from '@herald/contracts';
import { DeliveryEntity, type DeliveryStatus } from '../entities/delivery.entity';
import { AttemptEntity } from '../entities/attempt.entity';
import { OperationalEventEntity } from '../entities/operational-event.entity';

export interface DeliveryListQuery {
  workspaceId: string;
  endpointId?: string;
  /** Only deliveries to these endpoints (a portal link's). */
  endpointIds?: readonly string[];
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

/** A delivery with its payload: null until its request is projected, or once removed. */
export type DeliveryWithPayload = DeliveryEntity & { payload: string | null };

/** An attempt with its response headers and body, when they are still stored. */
export type AttemptWithBody = AttemptEntity & {
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  /** False when the body row is gone (or never was: no response, or the delivery was purged). */
  bodyStored: boolean;
};

/**
 * Read side of the delivery log, always scoped to one workspace. Every query bounds the partition key
 * from below (`visibleSince`: the workspace's record retention), so Postgres reads only the partitions
 * still kept, each through an index.
 */
@Injectable()
export class DeliveryQueryRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(query: DeliveryListQuery, visibleSince: Date): Promise<DeliveryEntity[]> {
    const qb = this.deliveries(query.workspaceId, visibleSince)
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.delivery_id', 'DESC')
      .take(query.limit);
    if (query.endpointId) qb.andWhere('d.endpoint_id = :endpointId', { endpointId: query.endpointId });
    if (query.endpointIds)
      qb.andWhere('d.endpoint_id IN (:...endpointIds)', { endpointIds: [...query.endpointIds] });
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

  /** The delivery with this id; when a late backfill made a second run of it, the newest. */
  async find(
    workspaceId: string,
    deliveryId: string,
    visibleSince: Date,
  ): Promise<DeliveryWithPayload | null> {
    const qb = this.deliveries(workspaceId, visibleSince)
      .andWhere('d.delivery_id = :deliveryId', { deliveryId })
      .orderBy('d.created_at', 'DESC')
      .limit(1);
    const [found] = await withPayloads(qb);
    return found ?? null;
  }

  async attempts(delivery: Pick<DeliveryEntity, 'deliveryId' | 'createdAt'>): Promise<AttemptWithBody[]> {
    const { entities, raw } = await this.db
      .getRepository(AttemptEntity)
      .createQueryBuilder('a')
      .leftJoin(
        'attempt_bodies',
        'b',
        'b.delivery_id = a.delivery_id AND b.delivery_created_at = a.delivery_created_at AND b.attempt_id = a.attempt_id',
      )
      .addSelect([
        'b.headers AS body_headers',
        'b.body AS body_body',
        '(b.attempt_id IS NOT NULL) AS body_stored',
      ])
      .where('a.delivery_id = :id AND a.delivery_created_at = :createdAt', {
        id: delivery.deliveryId,
        createdAt: delivery.createdAt,
      })
      .orderBy('a.attempt', 'ASC')
      .addOrderBy('a.started_at', 'ASC')
      .getRawAndEntities<{
        body_headers: Record<string, string> | null;
        body_body: string | null;
        body_stored: boolean;
      }>();
    return entities.map((a, i) => ({
      ...a,
      responseHeaders: raw[i].body_headers,
      responseBody: raw[i].body_body,
      bodyStored: raw[i].body_stored,
    }));
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
  ): Promise<DeliveryWithPayload[]> {
    const qb = this.failed(workspaceId, endpointId, since, until)
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.delivery_id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere('(d.created_at, d.delivery_id) > (:afterAt, :afterId)', {
        afterAt: after.createdAt,
        afterId: after.deliveryId,
      });
    }
    return withPayloads(qb);
  }

  countFailedInWindow(workspaceId: string, endpointId: string, since: Date, until: Date): Promise<number> {
    return this.failed(workspaceId, endpointId, since, until).getCount();
  }

  /** State changes of one endpoint (disabled, circuit opened...), newest first. */
  operationalEvents(
    workspaceId: string,
    endpointId: string,
    limit: number,
    visibleSince: Date,
  ): Promise<OperationalEventEntity[]> {
    return this.db
      .getRepository(OperationalEventEntity)
      .createQueryBuilder('o')
      .where('o.workspace_id = :ws AND o.endpoint_id = :endpointId AND o.at >= :since', {
        ws: workspaceId,
        endpointId,
        since: visibleSince,
      })
      .orderBy('o.at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .take(limit)
      .getMany();
  }

  private deliveries(workspaceId: string, visibleSince: Date): SelectQueryBuilder<DeliveryEntity> {
    return this.db
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.workspace_id = :ws AND d.created_at >= :visibleSince', { ws: workspaceId, visibleSince });
  }

  private failed(workspaceId: string, endpointId: string, since: Date, until: Date) {
    return this.db
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.workspace_id = :ws AND d.endpoint_id = :endpointId AND d.status = :status', {
        ws: workspaceId,
        endpointId,
        status: 'failed',
      })
      .andWhere('d.trigger IS DISTINCT FROM :test', { test: TEST_PING_TRIGGER })
      .andWhere('d.created_at >= :since AND d.created_at < :until', { since, until });
  }
}

async function withPayloads(qb: SelectQueryBuilder<DeliveryEntity>): Promise<DeliveryWithPayload[]> {
  const { entities, raw } = await qb
    .leftJoin('delivery_payloads', 'p', 'p.delivery_id = d.delivery_id AND p.created_at = d.created_at')
    .addSelect('p.payload', 'payload_text')
    .getRawAndEntities<{ payload_text: string | null }>();
  return entities.map((d, i) => ({ ...d, payload: raw[i].payload_text }));
}
