import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttemptRecorded } from '@herald/contracts';
import type { BodyRemovalReason } from './delivery.entity';

/**
 * One attempt, partitioned by its delivery's creation time. The response headers and body live in
 * `attempt_bodies` (shorter retention); reads that need them join them in.
 */
@Entity('attempts')
export class AttemptEntity {
  @PrimaryColumn('text', { name: 'delivery_id' })
  deliveryId!: string;

  @PrimaryColumn('timestamptz', { name: 'delivery_created_at' })
  deliveryCreatedAt!: Date;

  @PrimaryColumn('text', { name: 'attempt_id' })
  attemptId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'endpoint_id' })
  endpointId!: string;

  @Column('text', { name: 'event_id' })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('int')
  attempt!: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  @Column('int', { name: 'duration_ms' })
  durationMs!: number;

  @Column('jsonb')
  request!: AttemptRecorded['request'];

  /** Null when no response came back. */
  @Column('int', { name: 'response_status', nullable: true })
  responseStatus!: number | null;

  @Column('boolean', { name: 'response_body_truncated', nullable: true })
  responseBodyTruncated!: boolean | null;

  @Column('timestamptz', { name: 'response_removed_at', nullable: true })
  responseRemovedAt!: Date | null;

  @Column('text', { name: 'response_removed_reason', nullable: true })
  responseRemovedReason!: BodyRemovalReason | null;

  @Column('text', { name: 'remote_ip', nullable: true })
  remoteIp!: string | null;

  @Column('text', { name: 'error_class', nullable: true })
  errorClass!: string | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Column('text')
  outcome!: string;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column('text', { name: 'trace_id', nullable: true })
  traceId!: string | null;
}
