import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'retrying', 'succeeded', 'failed'];

/** Why a stored body was removed: a purge request, or (issue 19) retention. */
export type BodyRemovalReason = 'purged' | 'retention';
export const BODY_REMOVAL_REASONS: readonly BodyRemovalReason[] = ['purged', 'retention'];

/**
 * One delivery as the API reads it: the view `delivery_log` (migration 1764900000000), the row of the
 * partitioned table `deliveries` with its summary (status, counts, last attempt) derived from its
 * attempts when read, so the projector never rewrites the row per attempt and record order never
 * matters. Read-only: the projector writes `deliveries` with SQL of its own. The payload lives in
 * `delivery_payloads` (shorter retention); reads that need it join it in.
 */
@Entity('delivery_log', { synchronize: false })
export class DeliveryEntity {
  @PrimaryColumn('text', { name: 'delivery_id' })
  deliveryId!: string;

  @PrimaryColumn('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'endpoint_id' })
  endpointId!: string;

  @Column('text', { name: 'event_id' })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('timestamptz', { name: 'occurred_at', nullable: true })
  occurredAt!: Date | null;

  /** Set once the payload was purged; the projector never stores it again after that. */
  @Column('timestamptz', { name: 'payload_removed_at', nullable: true })
  payloadRemovedAt!: Date | null;

  @Column('text', { name: 'payload_removed_reason', nullable: true })
  payloadRemovedReason!: BodyRemovalReason | null;

  @Column('text', { nullable: true })
  trigger!: string | null;

  @Column('int', { name: 'max_requested_attempt' })
  maxRequestedAttempt!: number;

  @Column('text')
  status!: DeliveryStatus;

  @Column('int', { name: 'attempt_count' })
  attemptCount!: number;

  @Column('timestamptz', { name: 'last_attempt_at', nullable: true })
  lastAttemptAt!: Date | null;

  @Column('int', { name: 'last_response_status', nullable: true })
  lastResponseStatus!: number | null;

  /** The next attempt the last attempt scheduled; moot once the delivery succeeded. */
  @Column('timestamptz', { name: 'last_next_attempt_at', nullable: true })
  lastNextAttemptAt!: Date | null;
}
