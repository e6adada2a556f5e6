import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'retrying', 'succeeded', 'failed'];

/** Why a stored body was removed: a purge request, or (issue 19) retention. */
export type BodyRemovalReason = 'purged' | 'retention';
export const BODY_REMOVAL_REASONS: readonly BodyRemovalReason[] = ['purged', 'retention'];

/** Projection of one delivery; its status is recomputed from its attempts, so record order never matters. */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn('text', { name: 'delivery_id' })
  deliveryId!: string;

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

  /** The exact body bytes every attempt sends; null until the DeliveryRequested record is projected, or once removed. */
  @Column('text', { nullable: true })
  payload!: string | null;

  /** Set once the payload was removed; the projector never fills payload back in after that. */
  @Column('timestamptz', { name: 'payload_removed_at', nullable: true })
  payloadRemovedAt!: Date | null;

  @Column('text', { name: 'payload_removed_reason', nullable: true })
  payloadRemovedReason!: BodyRemovalReason | null;

  @Column('text', { nullable: true })
  trigger!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

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

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;
}
