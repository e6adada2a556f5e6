import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import {
  DomainError,
  endpointTakesEvent,
  ErrorCode,
  EventValidator,
  type DeliveryRequested,
  type DomainEvent,
} from '@herald/contracts';
import { KAFKA_CLIENT } from '@herald/kafka';
import { compileFilter, eventLine, matchesEventType, onLine } from '@herald/matching';
import { EndpointRepository, type EndpointEntity } from '@herald/persistence';
import { checkReplaySince } from '@herald/retention';
import { API_ENV, type ApiEnv } from '../../api.env';
import { API_SETTINGS, type ApiSettings } from '../../api.settings';
import { parseTime } from '../../http/page-cursor';
import { JobRunner, type JobControl } from '../../jobs/job.runner';
import { jobTimeLimitMs } from '../../jobs/job-time-limit';
import { sendInChunks } from '../../jobs/request-sender';
import { toJobView } from '../../jobs/job.view';
import { JOBS_ENV, type JobsEnv } from '../../jobs/jobs.env';
import { TopicRangeReader } from '../../jobs/topic-range.reader';
import { DeliveryRequestProducer } from '../retry-delivery/delivery-request.producer';
import { backfillRequest } from './backfill-request.builder';

/**
 * Replays the events still retained in the domain topics since a time to one endpoint: offsets by
 * timestamp, read up to the watermarks captured at start (see TopicRangeReader), matched against this
 * endpoint only, and sent as DeliveryRequested records with trigger `backfill`. total and processed
 * count offsets; produced counts the matches sent; the result says how many offsets retention took.
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
    @Inject(JOBS_ENV) private readonly jobsEnv: JobsEnv,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string; since: string; timeLimit?: string }) {
    const timeLimitMs = jobTimeLimitMs(command.timeLimit, this.jobsEnv.HERALD_JOB_TIME_LIMIT);
    const maxActive = this.jobsEnv.HERALD_WORKSPACE_MAX_ACTIVE_JOBS;
    const since = parseTime(command.since, 'since')!;
    if (since.getTime() > Date.now()) {
      throw new DomainError(ErrorCode.ValidationFailed, 'since is in the future', {
        fields: [{ field: 'since', message: 'must not be in the future' }],
      });
    }
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    // After the lookup, so another workspace's endpoint id answers 404 whatever the since.
    const tooOld = checkReplaySince(since, new Date(), this.settings.domainTopicsRetentionDays);
    if (tooOld) {
      throw new DomainError(ErrorCode.ValidationFailed, tooOld.message, {
        status: 422,
        fields: [{ field: 'since', message: tooOld.message }],
      });
    }
    const params = { since: since.toISOString(), topics: this.env.HERALD_DOMAIN_TOPICS };
    const job = await this.jobs.start(
      {
        kind: 'backfill',
        workspaceId: endpoint.workspaceId,
        endpointId: endpoint.id,
        params,
        timeLimitMs,
        maxActive,
      },
      (control) => this.run(endpoint, since, control),
    );
    return toJobView(job);
  }

  private async run(endpoint: EndpointEntity, since: Date, job: JobControl): Promise<void> {
    const filter = compileFilter(endpoint.filter);
    const matches = (event: DomainEvent) =>
      event.workspaceId === endpoint.workspaceId &&
      endpoint.eventTypes.some((pattern) => matchesEventType(pattern, event.type)) &&
      endpointTakesEvent(endpoint.eventVersion, event) &&
      onLine(endpoint.line, eventLine(event)) &&
      filter(event);
    let read = 0;
    const totals = await new TopicRangeReader(this.kafka).read(
      this.env.HERALD_DOMAIN_TOPICS,
      (admin, topic) => this.startsSince(admin, topic, since),
      {
        signal: job.signal,
        onPlanned: (planned) => job.setTotal(planned.total),
        onRecords: async (messages: KafkaMessage[], passed: number) => {
          const requests: DeliveryRequested[] = [];
          for (const message of messages) {
            read += 1;
            if (Number(message.timestamp) < since.getTime()) continue;
            const event = this.parseEvent(message.value);
            if (event && matches(event))
              requests.push(backfillRequest(endpoint, event, message, new Date().toISOString()));
          }
          await sendInChunks(this.requests, requests);
          await job.advance(passed, requests.length);
        },
      },
    );
    job.setResult({
      recordsRead: read,
      lostToRetention: totals.lostToRetention,
      partitions: totals.partitions,
    });
  }

  /**
   * Per partition, the first offset at or after `since` (null: nothing there). A broker that ignores
   * timestamps in ListOffsets (some test brokers) answers the latest offset even for time 0; there the
   * partition is scanned from its start and records are filtered by time.
   */
  private async startsSince(admin: Admin, topic: string, since: Date): Promise<Map<number, bigint | null>> {
    const watermarks = await admin.fetchTopicOffsets(topic);
    const found = await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime());
    const probe = await admin.fetchTopicOffsetsByTimestamp(topic, 0);
    const starts = new Map<number, bigint | null>();
    for (const { partition, low, high } of watermarks) {
      const honoured =
        probe.find((p) => p.partition === partition)?.offset === low || BigInt(low) >= BigInt(high);
      if (!honoured) this.log.warn(`${topic}[${partition}]: offsets by timestamp unsupported; scanning`);
      const offset = found.find((s) => s.partition === partition)?.offset;
      // -1 means no record at or after the time
      starts.set(partition, !honoured ? BigInt(low) : offset && BigInt(offset) >= 0n ? BigInt(offset) : null);
    }
    return starts;
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
}
