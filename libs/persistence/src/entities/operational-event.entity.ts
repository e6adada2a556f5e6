import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Projection of `herald.operational`, keyed by the record's position so a replay rewrites the same
 * rows; partitioned by `at`.
 */
@Entity('operational_events')
export class OperationalEventEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'endpoint_id' })
  endpointId!: string;

  @Column('text', { name: 'delivery_id', nullable: true })
  deliveryId!: string | null;

  @Column('text')
  type!: string;

  @Column('text')
  reason!: string;

  @PrimaryColumn('timestamptz')
  at!: Date;
}
