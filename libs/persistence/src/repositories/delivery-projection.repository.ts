import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import {
  TEST_PING_TRIGGER,
  type AttemptRecorded,
  type DeliveryRequested,
  type OperationalEvent,
} from '@herald/contracts';
import { INSERT_ATTEMPTS, INSERT_OPERATIONAL_EVENTS, UPSERT_REQUESTS } from './delivery-projection.sql';
import { boolArray, int4Array, jsonbArray, textArray, timestamptzArray } from './pg-binary-array';

export interface PositionedOperationalEvent {
  /** `topic:partition:offset`, stable across replays of the same topic. */
  position: string;
  event: OperationalEvent;
}

/**
 * Writes the delivery projections, one statement per batch. Every write is idempotent, attempts are
 * appended, and a delivery's summary is derived from its attempts when read (the view delivery_log), so
 * replays, duplicates and any record order converge to the same rows.
 *
 * Every record of a delivery carries its creation time, the partition key of the log's tables; records
 * written before it existed fall back to their own time.
 */
@Injectable()
export class DeliveryProjectionRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async applyDeliveryRequests(records: DeliveryRequested[]): Promise<void> {
    // The request for attempt 1 names the delivery's trigger and later ones do not, so the two kinds go
    // in separate statements: merged into one row, a retry would hide that the batch held attempt 1.
    const [first, later] = [records.filter((r) => r.attempt === 1), records.filter((r) => r.attempt !== 1)];
    if (first.length) await this.upsertRequests(first);
    if (later.length) await this.upsertRequests(later);
  }

  private async upsertRequests(records: DeliveryRequested[]): Promise<void> {
    // One statement may touch a row once: requests of the same delivery are merged as the upsert would.
    const rows = new Map<string, DeliveryRequested & { createdAt: string }>();
    for (const r of records) {
      const createdAt = r.createdAt ?? r.requestedAt;
      const key = `${r.deliveryId}|${createdAt}`;
      const prev = rows.get(key);
      rows.set(
        key,
        prev
          ? {
              ...prev,
              occurredAt: prev.occurredAt ?? r.occurredAt,
              trigger: prev.trigger ?? r.trigger,
              attempt: Math.max(prev.attempt, r.attempt),
            }
          : { ...r, createdAt },
      );
    }
    const list = [...rows.values()];
    await this.prepared('herald_upsert_requests', UPSERT_REQUESTS, [
      textArray(list.map((r) => r.deliveryId)),
      timestamptzArray(list.map((r) => r.createdAt)),
      textArray(list.map((r) => r.workspaceId)),
      textArray(list.map((r) => r.endpointId)),
      textArray(list.map((r) => r.eventId)),
      textArray(list.map((r) => r.eventType)),
      timestamptzArray(list.map((r) => r.occurredAt)),
      textArray(list.map((r) => r.trigger)),
      int4Array(list.map((r) => r.attempt)),
      textArray(list.map((r) => r.payload)),
    ]);
  }

  async applyAttempts(records: AttemptRecorded[]): Promise<void> {
    if (records.length === 0) return;
    const list = [...new Map(records.map((r) => [r.attemptId, r])).values()];
    await this.prepared('herald_insert_attempts', INSERT_ATTEMPTS, [
      textArray(list.map((r) => r.deliveryId)),
      timestamptzArray(list.map((r) => r.deliveryCreatedAt ?? r.startedAt)),
      textArray(list.map((r) => r.attemptId)),
      textArray(list.map((r) => r.workspaceId)),
      textArray(list.map((r) => r.endpointId)),
      textArray(list.map((r) => r.eventId)),
      textArray(list.map((r) => r.eventType)),
      int4Array(list.map((r) => r.attempt)),
      timestamptzArray(list.map((r) => r.startedAt)),
      int4Array(list.map((r) => Math.round(r.durationMs))),
      jsonbArray(list.map((r) => JSON.stringify(r.request))),
      int4Array(list.map((r) => r.response?.status)),
      boolArray(list.map((r) => r.response?.bodyTruncated)),
      jsonbArray(list.map((r) => (r.response ? JSON.stringify(r.response.headers) : null))),
      textArray(list.map((r) => r.response?.body)),
      textArray(list.map((r) => r.remoteIp)),
      textArray(list.map((r) => r.errorClass)),
      textArray(list.map((r) => r.errorMessage)),
      textArray(list.map((r) => r.outcome)),
      timestamptzArray(list.map((r) => r.nextAttemptAt)),
      textArray(list.map((r) => r.traceId)),
      timestamptzArray(list.map((r) => r.testPing?.occurredAt)),
      textArray(list.map((r) => r.testPing?.payload)),
      TEST_PING_TRIGGER,
    ]);
  }

  async applyOperationalEvents(records: PositionedOperationalEvent[]): Promise<void> {
    if (records.length === 0) return;
    await this.prepared('herald_insert_operational_events', INSERT_OPERATIONAL_EVENTS, [
      textArray(records.map((r) => r.position)),
      timestamptzArray(records.map((r) => r.event.at)),
      textArray(records.map((r) => r.event.workspaceId)),
      textArray(records.map((r) => r.event.endpointId)),
      textArray(records.map((r) => r.event.deliveryId)),
      textArray(records.map((r) => r.event.type)),
      textArray(records.map((r) => r.event.reason)),
    ]);
  }

  /**
   * Runs one of the statements above as a named prepared statement: each pooled connection parses
   * and plans it once, not on every batch (the statements are long; planning them was a fair share of
   * Postgres's CPU per batch). The arrays go as binary (pg-binary-array.ts): no array-literal escaping
   * here, no array_in parsing there.
   */
  private async prepared(name: string, text: string, values: unknown[]): Promise<void> {
    const pool = (this.db.driver as unknown as { master: Pool }).master;
    await pool.query({ name, text, values });
  }

  /** Empties every projection rebuilt from Kafka (endpoints are not: the API owns them). */
  async truncate(): Promise<void> {
    await this.db.query(
      `TRUNCATE deliveries, delivery_payloads, attempts, attempt_bodies, operational_events`,
    );
  }
}
