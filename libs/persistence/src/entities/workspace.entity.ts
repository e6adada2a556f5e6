import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('workspaces')
export class WorkspaceEntity {
  /** A uuid, or the product's own workspace id so domain events can name it. */
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  /** CIDRs this workspace's endpoints may reach beside the global allowlist; canonical form. */
  @Column('text', { name: 'egress_allow_cidrs', array: true, default: () => "'{}'" })
  egressAllowCidrs!: string[];

  /** Days the delivery log keeps this workspace's records; null: the operator's default. */
  @Column('int', { name: 'retention_days', nullable: true })
  retentionDays!: number | null;

  /** Days it keeps payloads and response bodies; null: the operator's default. */
  @Column('int', { name: 'body_retention_days', nullable: true })
  bodyRetentionDays!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
