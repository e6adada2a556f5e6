import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobKind = 'recover' | 'backfill' | 'purge';
/** See @herald/jobs for what each state means; 'queued' is only read from rows of older versions. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

/** A background job (recover, backfill or purge) and its progress. */
@Entity('jobs')
export class JobEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  /** Null for a purge that selects by event or by time. */
  @Column('uuid', { name: 'endpoint_id', nullable: true })
  endpointId!: string | null;

  @Column('text')
  kind!: JobKind;

  @Column('text')
  state!: JobState;

  @Column('jsonb')
  params!: Record<string, unknown>;

  /** How many items the job will look at; null until known. */
  @Column('int', { nullable: true })
  total!: number | null;

  @Column('int')
  processed!: number;

  /** How many DeliveryRequested records the job produced. */
  @Column('int')
  produced!: number;

  @Column('text', { nullable: true })
  error!: string | null;

  /** What the job found beyond its counters (e.g. offsets lost to retention); set when it ends. */
  @Column('jsonb', { nullable: true })
  result!: Record<string, unknown> | null;

  /** Past this the job is stopped and ends timed_out. */
  @Column('timestamptz', { name: 'deadline_at', nullable: true })
  deadlineAt!: Date | null;

  /** Set by a cancel request; the instance running the job sees it and stops. */
  @Column('timestamptz', { name: 'cancel_requested_at', nullable: true })
  cancelRequestedAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
