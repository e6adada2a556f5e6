import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Only the sha256 of a portal link's token is stored; the token itself is shown once, when minted. */
@Entity('portal_links')
export class PortalLinkEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  /** null: every endpoint of the workspace, including ones created later. */
  @Column('uuid', { name: 'endpoint_ids', array: true, nullable: true })
  endpointIds!: string[] | null;

  @Column('text', { array: true })
  permissions!: string[];

  @Column('jsonb')
  branding!: { name?: string; primaryColor?: string; logoUrl?: string };

  /** Origins that may frame the portal (CSP frame-ancestors); empty: any. */
  @Column('text', { name: 'allowed_origins', array: true })
  allowedOrigins!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
