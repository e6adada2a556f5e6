import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyRecordEntity } from '../entities/idempotency-record.entity';

@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  find(scope: string, key: string): Promise<IdempotencyRecordEntity | null> {
    return this.db.getRepository(IdempotencyRecordEntity).findOneBy({ scope, key });
  }

  /** Stores the first response for a key; a concurrent duplicate keeps the first one. */
  async save(record: Omit<IdempotencyRecordEntity, 'createdAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO idempotency_records (scope, key, route, request_hash, status_code, response)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING`,
      [
        record.scope,
        record.key,
        record.route,
        record.requestHash,
        record.statusCode,
        JSON.stringify(record.response ?? null),
      ],
    );
  }

  async deleteOlderThan(cutoff: Date): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_records WHERE created_at < $1`, [cutoff]);
  }
}
