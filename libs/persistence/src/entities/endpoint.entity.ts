import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PayloadProfile, ProductProfileName, SignatureScheme } from '@herald/contracts';

/**
 * An endpoint and its subscription (event type patterns plus an optional filter). The row mirrors the
 * latest EndpointSnapshot published to `herald.subscriptions`.
 */
@Entity('endpoints')
export class EndpointEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('int')
  version!: number;

  @Column('text')
  url!: string;

  @Column('text', { name: 'event_types', array: true })
  eventTypes!: string[];

  @Column('jsonb', { nullable: true })
  filter!: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  description!: string | null;

  /**
   * The product profile chosen (a label: its settings are stored in their own columns). Only the API
   * reads it, so it is not in the snapshot and applySnapshot leaves it as it is.
   */
  @Column('text', { name: 'product_profile', nullable: true })
  productProfile!: ProductProfileName | null;

  @Column('text', { name: 'payload_profile' })
  payloadProfile!: PayloadProfile;

  @Column('text', { name: 'signature_scheme' })
  signatureScheme!: SignatureScheme;

  @Column('text', { name: 'signature_header', nullable: true })
  signatureHeader!: string | null;

  /**
   * Custom headers in clear, as saved before values were sealed; `herald rekey` moves them to
   * sealedHeaders, as does the endpoint's next header change. New code writes `{}` here.
   */
  @Column('jsonb', { name: 'headers' })
  legacyHeaders!: Record<string, string>;

  /** Custom headers: name to the secret cipher's envelope of the value (receivers' credentials). */
  @Column('jsonb', { name: 'sealed_headers' })
  sealedHeaders!: Record<string, string>;

  @Column('int', { name: 'timeout_ms' })
  timeoutMs!: number;

  @Column('int', { name: 'max_in_flight' })
  maxInFlight!: number;

  /** The event schema version pinned (event-version.policy); null takes every version. */
  @Column('int', { name: 'event_version', nullable: true })
  eventVersion!: number | null;

  /** The line it is scoped to (events whose data.lineId equals it); null takes every line. */
  @Column('text', { name: 'line', nullable: true })
  line!: string | null;

  @Column('int', { name: 'rate_limit_per_second', nullable: true })
  rateLimitPerSecond!: number | null;

  @Column('jsonb', { name: 'retry_schedule', nullable: true })
  retrySchedule!: string[] | null;

  @Column('boolean')
  fifo!: boolean;

  @Column('boolean')
  disabled!: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
