import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signing secret sealed with AES-256-GCM under the master key; the plain secret is never stored. */
@Entity('signing_secrets')
export class SigningSecretEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  ciphertext!: string;

  /** ed25519 only: the public key receivers verify with. */
  @Column('text', { name: 'public_key', nullable: true })
  publicKey!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  /** Set on the previous secret during a rotation's grace period. */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;
}
