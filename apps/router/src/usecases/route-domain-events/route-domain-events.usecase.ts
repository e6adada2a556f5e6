import { Inject, Injectable } from '@nestjs/common';
import {
  deliveryRequested,
  deliveryRequestedRecord,
  type DomainEvent,
  DomainError,
  ErrorCode,
  EventValidator,
  type EndpointSnapshot,
  type InvalidEventRecord,
  KafkaHeaders,
  endpointTakesEvent,
  createdAtFromSourceRecord,
  payloadVersionLabel,
  Topics,
} from '@herald/contracts';
import { HeraldProducer, type OutgoingRecord, readHeader } from '@herald/kafka';
import {
  continuingTraceHeaders,
  startConsumerSpan,
  startProducerSpan,
  WebhookAttributes,
} from '@herald/telemetry';
import { operationalRecipients, SubscriptionIndex } from '@herald/matching';
import { deliveryIdFor, renderPayload } from '@herald/payloads';
import { DedupeWindow } from '../../dedupe/dedupe-window';
import { dedupeMarkers } from '../../dedupe/dedupe-marker';
import { MarkerTrail } from '../../dedupe/marker-trail';
import { ROUTER_ENV, ROUTER_GROUP_ID, type RouterEnv } from '../../router.env';
import { routerMetrics } from '../../router.metrics';
import { SubscriptionFeed } from '../../subscriptions/subscription-feed';
import { classifyOperationalRecord, classifyRecord, type Classification } from './classify-record';
import { SendBuffer } from './send-buffer';
import type { DomainRecord, RouteDomainEventsCommand, RouteSummary } from './route-domain-events.command';

type Limits = Pick<
  RouterEnv,
  | 'HERALD_MAX_EVENT_BYTES'
  | 'HERALD_ROUTER_MAX_RECORDS_PER_SEND'
  | 'HERALD_ROUTER_MAX_BYTES_PER_SEND'
  | 'HERALD_MAX_DEAD_LETTER_BYTES'
>;

/**
 * Turns a batch of domain records into one DeliveryRequested per matching endpoint, and bad records
 * into dead letters. Records of herald.operational (`source: 'operational'`) take the same path as
 * catalogue events of the operational family, to the workspace's other endpoints that subscribe.
 * Deliveries and dead letters are acknowledged before the batch's dedupe markers are produced, and
 * offsets are committed past the batch only once both are (MarkerTrail writes the markers behind
 * the batch): a crash at any point replays the batch rather than losing it, and deterministic
 * delivery ids collapse the replay.
 */
@Injectable()
export class RouteDomainEventsUseCase {
  constructor(
    @Inject(SubscriptionIndex) private readonly subscriptions: SubscriptionIndex,
    @Inject(DedupeWindow) private readonly dedupe: DedupeWindow,
    @Inject(EventValidator) private readonly validator: EventValidator,
    @Inject(HeraldProducer) private readonly producer: Pick<HeraldProducer, 'send'>,
    @Inject(ROUTER_ENV) private readonly limits: Limits,
    @Inject(SubscriptionFeed) private readonly feed: Pick<SubscriptionFeed, 'catchUp'>,
    @Inject(MarkerTrail) private readonly trail: MarkerTrail,
  ) {}

  async execute(command: RouteDomainEventsCommand): Promise<RouteSummary> {
    // Read-your-writes: an endpoint the API acknowledged before these events were produced is in
    // herald.subscriptions below the high watermark read now, after the batch was fetched.
    if (!(await this.feed.catchUp())) {
      throw new DomainError(
        ErrorCode.SubscriptionsBehind,
        'the subscription index did not catch up with herald.subscriptions in time',
      );
    }
    const now = Date.now();
    const requestedAt = new Date(now).toISOString();
    const summary: RouteSummary = { deliveries: 0, invalid: 0, duplicates: 0, unmatched: 0 };
    const invalidReasons: string[] = [];
    const seenInBatch = new Set<string>();
    const output = this.sendBuffer(command.heartbeat);
    const spans: ReturnType<typeof startConsumerSpan>[] = [];

    const operational = command.source === 'operational';
    for (const record of command.records) {
      const result: Classification | null = operational
        ? classifyOperationalRecord(record.value)
        : classifyRecord(record.value, this.limits.HERALD_MAX_EVENT_BYTES, this.validator);
      if (result === null) continue;
      if (!result.ok) {
        await output.add(this.deadLetter(command, record, result, requestedAt));
        invalidReasons.push(result.reason);
        summary.invalid += 1;
        continue;
      }
      const key = DedupeWindow.key(result.event.workspaceId, result.event.id);
      if (seenInBatch.has(key) || this.dedupe.has(key, now)) {
        summary.duplicates += 1;
        continue;
      }
      // Endpoints pinned to another schema version of this type do not take it (event-version.policy);
      // an operational event never goes to the endpoint it is about (operational-loop.guard).
      const endpoints = operationalRecipients(
        result.event,
        this.subscriptions
          .match(result.event)
          .filter((endpoint) => endpointTakesEvent(endpoint.eventVersion, result.event)),
      );
      // A workspace with no endpoint subscribed to operational events costs a lookup: no check, no marker.
      if (operational && endpoints.length === 0) continue;
      const checked = operational ? this.validator.validate(result.event) : result;
      if (!checked.ok) {
        await output.add(this.deadLetter(command, record, checked, requestedAt));
        invalidReasons.push(checked.reason);
        summary.invalid += 1;
        continue;
      }
      let bodies: Map<string, string>;
      try {
        bodies = renderBodies(result.event, endpoints);
      } catch (error) {
        const failure = {
          ok: false as const,
          reason: 'unprocessable' as const,
          message: `the payload could not be rendered: ${(error as Error).message}`,
        };
        await output.add(this.deadLetter(command, record, failure, requestedAt));
        invalidReasons.push(failure.reason);
        summary.invalid += 1;
        continue;
      }
      seenInBatch.add(key);
      if (endpoints.length === 0) summary.unmatched += 1;
      const traceparent = readHeader(record.headers, KafkaHeaders.traceparent);
      // One process span per event, continuing the producer's trace; its send span parents the deliveries.
      const span = startConsumerSpan({
        topic: command.topic,
        partition: command.partition,
        group: ROUTER_GROUP_ID,
        offset: record.offset,
        key: record.key,
        traceparent,
        attributes: { [WebhookAttributes.eventType]: result.event.type },
      });
      const send = startProducerSpan({
        topic: Topics.deliveries,
        parent: span,
        messageCount: endpoints.length,
      });
      spans.push(send, span);
      const createdAt = createdAtFromSourceRecord(record.timestamp);
      const times = { requestedAt, createdAt };
      for (const delivery of this.fanOut(result.event, endpoints, bodies, times, traceparent, send)) {
        await output.add(delivery);
        summary.deliveries += 1;
      }
    }

    await output.flush();
    for (const span of spans) span.end();
    for (const key of seenInBatch) this.dedupe.record(key, now, now);
    await this.trail.settled(command.topic, command.partition);
    // Markers only after the deliveries are acknowledged: a marker for an event whose deliveries
    // were never written would suppress them on replay.
    if (seenInBatch.size > 0) {
      const first = command.records[0].offset;
      const markers = this.sendMarkers(command, first, [...seenInBatch], now);
      const { commitLater } = command;
      if (commitLater && this.trail.trailing) {
        const end = (BigInt(command.records[command.records.length - 1].offset) + 1n).toString();
        this.trail.follow(command.topic, command.partition, markers, () => commitLater(end));
        summary.commitBefore = first;
      } else {
        await markers;
      }
    }

    for (const reason of invalidReasons) routerMetrics.invalidEvents.inc({ reason });
    if (summary.duplicates) routerMetrics.routedEvents.inc({ outcome: 'duplicate' }, summary.duplicates);
    if (summary.unmatched) routerMetrics.routedEvents.inc({ outcome: 'unmatched' }, summary.unmatched);
    const routed = seenInBatch.size - summary.unmatched;
    if (routed) routerMetrics.routedEvents.inc({ outcome: 'routed' }, routed);
    if (summary.deliveries) routerMetrics.deliveriesRequested.inc(summary.deliveries);
    return summary;
  }

  private async sendMarkers(
    command: RouteDomainEventsCommand,
    firstOffset: string,
    keys: string[],
    now: number,
  ): Promise<void> {
    const position = { topic: command.topic, partition: command.partition, offset: firstOffset };
    const output = this.sendBuffer(undefined);
    for (const marker of dedupeMarkers(position, keys, now, this.limits.HERALD_ROUTER_MAX_BYTES_PER_SEND))
      await output.add(marker);
    await output.flush();
  }

  private sendBuffer(heartbeat: (() => Promise<void>) | undefined): SendBuffer {
    return new SendBuffer(
      this.producer,
      this.limits.HERALD_ROUTER_MAX_RECORDS_PER_SEND,
      this.limits.HERALD_ROUTER_MAX_BYTES_PER_SEND,
      heartbeat,
    );
  }

  private *fanOut(
    event: DomainEvent,
    endpoints: EndpointSnapshot[],
    bodies: Map<string, string>,
    times: { requestedAt: string; createdAt: string | undefined },
    traceparent: string | undefined,
    send?: ReturnType<typeof startProducerSpan>,
  ): Generator<OutgoingRecord> {
    // traceparent: the router's send span (the producer's own while tracing is off); origin: the producer's.
    const trace = continuingTraceHeaders(send, traceparent);
    for (const endpoint of endpoints) {
      // The version matched against, so the dispatcher never judges the endpoint on an older one.
      const headers = { ...trace, [KafkaHeaders.endpointVersion]: String(endpoint.version) };
      const payload = bodies.get(bodyKey(endpoint, event))!;
      const delivery = deliveryRequested({
        deliveryId: deliveryIdFor(endpoint.id, event.id, event.workspaceId),
        workspaceId: event.workspaceId,
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        occurredAt: event.occurredAt,
        attempt: 1,
        payload,
        requestedAt: times.requestedAt,
        // The source record's time, not requestedAt: a re-read after a crash must key the same row.
        createdAt: times.createdAt,
        trigger: 'event',
      });
      yield deliveryRequestedRecord(delivery, headers);
    }
  }

  /** The original key, bytes and headers, plus the reason; oversized bytes are cut to what Kafka takes. */
  private deadLetter(
    command: RouteDomainEventsCommand,
    record: DomainRecord,
    result: Extract<Classification, { ok: false }>,
    rejectedAt: string,
  ): OutgoingRecord {
    const description: InvalidEventRecord = {
      kind: 'InvalidEvent',
      reason: result.reason,
      message: result.message,
      sourceTopic: command.topic,
      sourcePartition: command.partition,
      sourceOffset: record.offset,
      rejectedAt,
    };
    const cap = this.limits.HERALD_MAX_DEAD_LETTER_BYTES;
    const value = record.value && record.value.length > cap ? record.value.subarray(0, cap) : record.value;
    return {
      topic: Topics.eventsInvalid,
      key: record.key ? record.key.toString() : null,
      value,
      // Repeated header keys arrive as arrays; kafkajs writes them back the same way.
      headers: {
        ...(record.headers as Record<string, string | Buffer>),
        [KafkaHeaders.reasonCode]: result.reason,
        [KafkaHeaders.invalidEvent]: JSON.stringify({ ...description, truncated: value !== record.value }),
      },
    };
  }
}

/** Each profile's body (and version label), rendered once per event before any delivery is queued. */
function renderBodies(event: DomainEvent, endpoints: EndpointSnapshot[]): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const endpoint of endpoints) {
    const key = bodyKey(endpoint, event);
    if (!bodies.has(key)) {
      const label = payloadVersionLabel(endpoint.eventVersion, event);
      bodies.set(key, renderPayload(endpoint.payloadProfile, event, label));
    }
  }
  return bodies;
}

function bodyKey(endpoint: EndpointSnapshot, event: DomainEvent): string {
  return `${endpoint.payloadProfile}:${payloadVersionLabel(endpoint.eventVersion, event) ?? ''}`;
}
