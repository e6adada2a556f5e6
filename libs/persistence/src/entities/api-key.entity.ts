import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type WorkspaceRole = 'owner' | 'admin' | 'developer' | 'viewer';
export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['owner', 'admin', 'developer', 'viewer'];

/** Only the sha256 of a key is stored; the key itself is shown once at creation. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: WorkspaceRole;

  @Column('text', { name: 'key_hash' })
  keyHash!: string;

  /** First characters of the key, so a user can tell keys apart. */
  @Column('text', { name: 'key_prefix' })
  keyPrefix!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
