import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyRecordEntity } from '../entities/idempotency-record.entity';

type RequestIdentity = Pick<IdempotencyRecordEntity, 'scope' | 'key' | 'route' | 'requestHash'>;

/**
 * Idempotency-Key rows. A request first claims its key (a row with status 0 and no response); the
 * primary key lets only one of several concurrent claims win, and the others wait for the response.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  find(scope: string, key: string): Promise<IdempotencyRecordEntity | null> {
    return this.db.getRepository(IdempotencyRecordEntity).findOneBy({ scope, key });
  }

  /** Whether this request won the key. */
  async claim(request: RequestIdentity): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO idempotency_records (scope, key, route, request_hash, status_code, response)
       VALUES ($1, $2, $3, $4, 0, NULL) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [request.scope, request.key, request.route, request.requestHash],
    );
    return rows.length === 1;
  }

  /** Takes over a claim still in progress since before `claimedBefore` (its request died). */
  async takeOver(scope: string, key: string, claimedBefore: Date): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.db.query(
      `UPDATE idempotency_records SET created_at = now()
       WHERE scope = $1 AND key = $2 AND status_code = 0 AND created_at < $3 RETURNING key`,
      [scope, key, claimedBefore],
    );
    return rows.length === 1;
  }

  /** Stores the response of the request holding the claim. */
  async complete(scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_records SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`,
      [scope, key, statusCode, JSON.stringify(response ?? null)],
    );
  }

  /** Gives a claim up (its request failed), so a retry with the key runs again. */
  async release(scope: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_records WHERE scope = $1 AND key = $2 AND status_code = 0`, [
      scope,
      key,
    ]);
  }

  /** Deletes one finished response older than `cutoff`. */
  async expire(scope: string, key: string, cutoff: Date): Promise<void> {
    await this.db.query(
      `DELETE FROM idempotency_records WHERE scope = $1 AND key = $2 AND status_code <> 0 AND created_at < $3`,
      [scope, key, cutoff],
    );
  }

  /** Deletes rows older than `cutoff` (the TTL, far longer than any request holds a claim). */
  async deleteOlderThan(cutoff: Date): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_records WHERE created_at < $1`, [cutoff]);
  }
}
