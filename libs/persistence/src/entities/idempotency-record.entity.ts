import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The stored response of a mutating request sent with an Idempotency-Key. */
@Entity('idempotency_records')
export class IdempotencyRecordEntity {
  /** Workspace id, or `operator` for requests made with the operator token. */
  @PrimaryColumn('text')
  scope!: string;

  @PrimaryColumn('text')
  key!: string;

  @Column('text')
  route!: string;

  @Column('text', { name: 'request_hash' })
  requestHash!: string;

  /** 0 while the first request with this key is still running; then its HTTP status. */
  @Column('int', { name: 'status_code' })
  statusCode!: number;

  @Column('jsonb', { nullable: true })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
