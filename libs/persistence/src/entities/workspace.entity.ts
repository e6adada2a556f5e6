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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
