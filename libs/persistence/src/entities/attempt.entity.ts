import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttemptRecorded } from '@herald/contracts';
import type { BodyRemovalReason } from './delivery.entity';

@Entity('attempts')
export class AttemptEntity {
  @PrimaryColumn('text', { name: 'attempt_id' })
  attemptId!: string;

  @Column('text', { name: 'delivery_id' })
  deliveryId!: string;

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

  /** After a removal only status and bodyTruncated are left; body and headers are null. */
  @Column('jsonb', { nullable: true })
  response!: AttemptRecorded['response'];

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
