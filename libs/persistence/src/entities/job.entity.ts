import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobKind = 'recover' | 'backfill';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

/** A background replay job (recover or backfill) and its progress. */
@Entity('jobs')
export class JobEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId!: string;

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

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
