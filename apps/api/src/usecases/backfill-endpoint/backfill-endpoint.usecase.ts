import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import {
  DomainError,
  ErrorCode,
  EventValidator,
  type DeliveryRequested,
  type DomainEvent,
} from '@herald/contracts';
import { KAFKA_CLIENT } from '@herald/kafka';
import { compileFilter, matchesEventType } from '@herald/matching';
import { deliveryIdFor, renderPayload } from '@herald/payloads';
import { EndpointRepository, type EndpointEntity } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import { parseTime } from '../../http/page-cursor';
import { JobRunner, toJobView, type JobProgress } from '../../jobs/job.runner';
import { DeliveryRequestProducer } from '../retry-delivery/delivery-request.producer';

interface PartitionRange {
  topic: string;
  partition: number;
  /** First offset at or after `since`. */
  start: bigint;
  /** High watermark captured when the job started: the job reads up to, not including, it. */
  end: bigint;
}

/**
 * Replays the events still retained in the domain topics since a time to one endpoint: offsets by
 * timestamp, a fresh consumer group reading up to the high watermarks captured at start, matching against
 * this endpoint only, and DeliveryRequested records with trigger `backfill`.
 */
@Injectable()
export class BackfillEndpointUseCase {
  private readonly log = new Logger('Backfill');
  /** The router's rules: an event it would dead-letter is not backfilled either. */
  private readonly validator = new EventValidator();

  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(DeliveryRequestProducer) private readonly requests: DeliveryRequestProducer,
    @Inject(JobRunner) private readonly jobs: JobRunner,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string; since: string }) {
    const since = parseTime(command.since, 'since')!;
    if (since.getTime() > Date.now()) {
      throw new DomainError(ErrorCode.ValidationFailed, 'since is in the future', {
        fields: [{ field: 'since', message: 'must not be in the future' }],
      });
    }
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    const params = { since: since.toISOString(), topics: this.env.HERALD_DOMAIN_TOPICS };
    const job = await this.jobs.start('backfill', endpoint.workspaceId, endpoint.id, params, (progress) =>
      this.run(endpoint, since, progress),
    );
    return toJobView(job);
  }

  private async run(endpoint: EndpointEntity, since: Date, progress: JobProgress): Promise<void> {
    const ranges = await this.ranges(since);
    await progress.setTotal(Number(ranges.reduce((sum, r) => sum + (r.end - r.start), 0n)));
    if (ranges.length === 0) return;
    const filter = compileFilter(endpoint.filter);
    const matches = (event: DomainEvent) =>
      event.workspaceId === endpoint.workspaceId &&
      endpoint.eventTypes.some((pattern) => matchesEventType(pattern, event.type)) &&
      filter(event);

    const pending = new Map(ranges.map((r) => [`${r.topic}:${r.partition}`, r]));
    const groupId = `herald-backfill-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    let finish!: (error?: Error) => void;
    const done = new Promise<void>(
      (resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())),
    );
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...new Set(ranges.map((r) => r.topic))], fromBeginning: true });
      consumer.on(consumer.events.CRASH, (event) => finish(new Error(String(event.payload.error))));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const range = pending.get(`${batch.topic}:${batch.partition}`);
          if (!range) return;
          const requests: DeliveryRequested[] = [];
          let processed = 0;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < range.start || offset >= range.end) continue;
            processed += 1;
            if (Number(message.timestamp) < since.getTime()) continue;
            const event = this.parseEvent(message.value);
            if (event && matches(event)) requests.push(this.toRequest(endpoint, event));
          }
          if (requests.length > 0) await this.requests.send(requests);
          await progress.advance(processed, requests.length);
          await heartbeat();
          const last = BigInt(batch.messages[batch.messages.length - 1]?.offset ?? '-1');
          if (last >= range.end - 1n) {
            pending.delete(`${batch.topic}:${batch.partition}`);
            consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
          }
          if (pending.size === 0 || !progress.running) finish();
        },
      });
      for (const range of ranges)
        consumer.seek({ topic: range.topic, partition: range.partition, offset: range.start.toString() });
      // Shutdown must not wait on a consumer that has nothing left to fetch.
      const watch = setInterval(() => {
        if (!progress.running) finish(new Error('interrupted by shutdown'));
      }, 250);
      try {
        await done;
      } finally {
        clearInterval(watch);
      }
    } finally {
      await consumer.disconnect();
      await this.deleteGroup(groupId);
    }
  }

  /** Per partition: the first offset at or after `since`, and the high watermark now. */
  private async ranges(since: Date): Promise<PartitionRange[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ranges: PartitionRange[] = [];
      for (const topic of this.env.HERALD_DOMAIN_TOPICS) {
        const highs = await admin.fetchTopicOffsets(topic);
        const starts = await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime());
        // A broker that ignores timestamps in ListOffsets (some test brokers) answers the latest offset
        // even for time 0; there the partition is scanned from its start and records filtered by time.
        const probe = await admin.fetchTopicOffsetsByTimestamp(topic, 0);
        for (const { partition, high, low } of highs) {
          const found = starts.find((s) => s.partition === partition);
          const honoured =
            probe.find((p) => p.partition === partition)?.offset === low || BigInt(low) >= BigInt(high);
          if (!honoured) this.log.warn(`${topic}[${partition}]: offsets by timestamp unsupported; scanning`);
          // -1 means no record at or after the time: nothing to read there.
          const start = !honoured
            ? BigInt(low)
            : found && BigInt(found.offset) >= 0n
              ? BigInt(found.offset)
              : BigInt(high);
          const from = start < BigInt(low) ? BigInt(low) : start;
          if (from < BigInt(high)) ranges.push({ topic, partition, start: from, end: BigInt(high) });
        }
      }
      return ranges;
    } finally {
      await admin.disconnect();
    }
  }

  private toRequest(endpoint: EndpointEntity, event: DomainEvent): DeliveryRequested {
    return {
      kind: 'DeliveryRequested',
      deliveryId: deliveryIdFor(endpoint.id, event.id, event.workspaceId),
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      occurredAt: event.occurredAt,
      attempt: 1,
      payload: renderPayload(endpoint.payloadProfile, event),
      requestedAt: new Date().toISOString(),
      trigger: 'backfill',
    };
  }

  private parseEvent(value: Buffer | null): DomainEvent | null {
    if (!value) return null;
    try {
      const result = this.validator.validate(JSON.parse(value.toString('utf8')));
      return result.ok ? result.event : null;
    } catch {
      return null;
    }
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch {
      // a leftover empty group expires on its own
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
