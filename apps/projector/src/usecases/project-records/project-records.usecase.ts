import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AttemptRecorded,
  type DeliveryRequested,
  decodeAttemptRecorded,
  decodeDeliveryRequested,
  decodeEndpointSnapshot,
  decodeOperationalEvent,
  Topics,
} from '@herald/contracts';
import {
  DeliveryProjectionRepository,
  EndpointRepository,
  type PositionedOperationalEvent,
} from '@herald/persistence';
import { PROJECTOR_WRITE_LIMITS, type ProjectorWriteLimits } from '../../projector.env';
import { WriteCoalescer } from './write-coalescer';

/** The parts of a Kafka record the projections read. */
export interface ProjectedRecord {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
}

export interface ProjectRecordsCommand {
  topic: string;
  partition: number;
  records: ProjectedRecord[];
}

/**
 * Applies one batch of one partition to the projections. Every write is an idempotent upsert, so a batch
 * read twice (after a crash before commit, or by a rebuild) leaves the same rows. A record that cannot be
 * parsed is logged and skipped: it is still in Kafka, and blocking the partition would stall every log.
 *
 * Batches of different partitions that are ready together are written in one statement per table group
 * (WriteCoalescer): a fetch hands over many small per-partition batches, and each statement has a fixed
 * cost in Postgres that a few dozen rows do not amortise.
 */
@Injectable()
export class ProjectRecordsUseCase {
  private readonly log = new Logger('Projector');
  private readonly requestWrites: WriteCoalescer<DeliveryRequested>;
  private readonly attemptWrites: WriteCoalescer<AttemptRecorded>;
  private readonly operationalWrites: WriteCoalescer<PositionedOperationalEvent>;

  constructor(
    @Inject(DeliveryProjectionRepository) deliveries: DeliveryProjectionRepository,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(PROJECTOR_WRITE_LIMITS) limits: ProjectorWriteLimits,
  ) {
    const options = { maxRows: limits.maxRowsPerWrite, splitOn: isStatementError };
    this.requestWrites = new WriteCoalescer((r) => deliveries.applyDeliveryRequests(r), options);
    this.attemptWrites = new WriteCoalescer((r) => deliveries.applyAttempts(r), options);
    this.operationalWrites = new WriteCoalescer((r) => deliveries.applyOperationalEvents(r), options);
  }

  async execute(command: ProjectRecordsCommand): Promise<void> {
    // Batches of different partitions run concurrently and may touch the same delivery rows; Postgres
    // then aborts one of them as a deadlock. Every write is idempotent, so the batch simply runs again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.apply(command);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if ((code !== '40P01' && code !== '40001') || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
      }
    }
  }

  private async apply(command: ProjectRecordsCommand): Promise<void> {
    const { topic } = command;
    if (topic === Topics.subscriptions) return this.applySnapshots(command);
    if (topic === Topics.attempts) {
      return this.attemptWrites.submit(this.parse(command, decodeAttemptRecorded, 'AttemptRecorded'));
    }
    if (topic === Topics.operational) {
      const events: PositionedOperationalEvent[] = [];
      for (const record of command.records) {
        const event = this.parseOne(command, record, decodeOperationalEvent, 'OperationalEvent');
        if (event) events.push({ position: `${topic}:${command.partition}:${record.offset}`, event });
      }
      return this.operationalWrites.submit(events);
    }
    // What is left of PROJECTED_TOPICS is herald.deliveries: DeliveryRequested records.
    return this.requestWrites.submit(this.parse(command, decodeDeliveryRequested, 'DeliveryRequested'));
  }

  private async applySnapshots(command: ProjectRecordsCommand): Promise<void> {
    // Records of one key are in order within a partition; the version guard ignores anything older.
    for (const record of command.records) {
      const id = record.key?.toString('utf8');
      if (!id) continue;
      if (record.value === null || record.value.length === 0) {
        await this.endpoints.applyTombstone(id);
        continue;
      }
      const snapshot = this.parseOne(
        command,
        record,
        (value) => decodeEndpointSnapshot(value, id),
        'EndpointSnapshot',
      );
      if (snapshot) await this.endpoints.applySnapshot(snapshot);
    }
  }

  private parse<T>(
    command: ProjectRecordsCommand,
    decode: (value: Buffer) => T | undefined,
    kind: string,
  ): T[] {
    const out: T[] = [];
    for (const record of command.records) {
      const value = this.parseOne(command, record, decode, kind);
      if (value) out.push(value);
    }
    return out;
  }

  /** The record through its contract's parser; an unreadable one is logged and skipped. */
  private parseOne<T>(
    command: ProjectRecordsCommand,
    record: ProjectedRecord,
    decode: (value: Buffer) => T | undefined,
    kind: string,
  ): T | null {
    if (record.value === null || record.value.length === 0) return null;
    const value = decode(record.value);
    if (value === undefined) {
      this.log.warn(
        `skipped unreadable record ${command.topic}:${command.partition}@${record.offset}: not a ${kind}`,
      );
      return null;
    }
    return value;
  }
}

/**
 * Whether Postgres refused the statement itself (bad data, a constraint, a deadlock), which rows of
 * one batch may cause, rather than the connection or the server failing (SQLSTATE classes 08
 * connection, 53 resources, 57 operator intervention, 58 system; no SQLSTATE at all: a socket error).
 */
export function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return !['08', '53', '57', '58'].includes(code.slice(0, 2));
}
