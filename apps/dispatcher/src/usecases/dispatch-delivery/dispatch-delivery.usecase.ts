import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import {
  type AttemptErrorClass,
  type AttemptOutcome,
  type AttemptRecorded,
  type DeliveryRequested,
  type EndpointSnapshot,
  KafkaHeaders,
  type OperationalEvent,
  type OperationalEventType,
  Topics,
} from '@herald/contracts';
import { CircuitBreakers, classifyStatus, FailureTracker } from '@herald/delivery';
import { readHeader, type OutgoingRecord } from '@herald/kafka';
import { type PerformedAttempt, SignedAttemptPerformer } from '@herald/http-delivery';
import {
  parseRetryAfter,
  planDeferral,
  planRetry,
  type RetryEnv,
  validateRetrySchedule,
} from '@herald/retry';
import {
  endHttpClientSpan,
  heraldMetrics,
  injectTraceparent,
  recordAttempt,
  recordEndpointAttempt,
  recordCircuitState,
  recordEndToEnd,
  recordSpanError,
  runInSpan,
  spanIds,
  startAttemptSpan,
  startHttpClientSpan,
} from '@herald/telemetry';
import { EndpointDirectory } from '../../endpoints/endpoint-directory';
import { EndpointSlots } from '../../delivery/endpoint-slots';
import { DISPATCHER_ENV, type DispatcherEnv } from '../../dispatcher.env';
import { DELIVERY_OUTPUT, RETRY_ENV } from '../../dispatcher.tokens';
import { FifoGate, type FifoTicket } from '../../fifo/fifo-gate';
import { fallbackTraceparent, idsOfTraceparent } from '../../delivery/attempt-traceparent';
import type { DispatchDeliveryCommand } from './dispatch-delivery.command';

/** Where the use case writes; in production an OutputBuffer over the Herald producer. */
export interface DeliveryOutput {
  write(records: OutgoingRecord[]): Promise<void>;
}

/** Dead-letter reasons put in `herald-reason-code`. */
export const DeadLetterReason = {
  invalidRecord: 'invalid_record',
  endpointNotFound: 'endpoint_not_found',
  endpointDisabled: 'endpoint_disabled',
  endpointGone: 'endpoint_gone',
  exhausted: 'exhausted',
} as const;

export type DispatchResult =
  'succeeded' | 'retry_scheduled' | 'exhausted' | 'endpoint_disabled' | 'deferred' | 'dropped';

/**
 * One delivery: check the endpoint, its circuit and its limits, make one signed attempt, and turn the
 * answer into durable records (attempt record, retry or dead letter, operational events, a disabled
 * snapshot). Resolves once Kafka holds them; rejects only when producing failed, so the record is
 * read again.
 */
@Injectable()
export class DispatchDeliveryUseCase {
  private readonly log = new Logger(DispatchDeliveryUseCase.name);
  private readonly schedules = new Map<string, { version: number; scheduleMs: number[] }>();
  private readonly disabling = new Set<string>();

  constructor(
    @Inject(DISPATCHER_ENV) private readonly env: DispatcherEnv,
    @Inject(RETRY_ENV) private readonly retry: RetryEnv,
    @Inject(EndpointDirectory) private readonly directory: EndpointDirectory,
    @Inject(SignedAttemptPerformer) private readonly performer: SignedAttemptPerformer,
    @Inject(EndpointSlots) private readonly slots: EndpointSlots,
    @Inject(CircuitBreakers) private readonly breakers: CircuitBreakers,
    @Inject(FailureTracker) private readonly failures: FailureTracker,
    @Inject(DELIVERY_OUTPUT) private readonly output: DeliveryOutput,
    @Inject(FifoGate) private readonly fifo: FifoGate,
  ) {
    directory.onRemoved?.((id) => {
      this.performer.forget(id);
      this.breakers.forget(id);
      this.failures.forget(id);
      this.schedules.delete(id);
    });
  }

  async execute(command: DispatchDeliveryCommand): Promise<DispatchResult> {
    const delivery = parseDelivery(command.value);
    if (!delivery) {
      this.log.error(`delivery record at offset ${command.offset} is not a DeliveryRequested; dead-lettered`);
      await this.output.write([this.deadLetter(command, DeadLetterReason.invalidRecord)]);
      return 'dropped';
    }
    const endpoint = this.directory.get(delivery.endpointId);
    if (!endpoint) {
      return this.drop(
        command,
        delivery,
        DeadLetterReason.endpointNotFound,
        'exhausted',
        `endpoint ${delivery.endpointId} does not exist`,
      );
    }
    if (endpoint.disabled) {
      return this.drop(
        command,
        delivery,
        DeadLetterReason.endpointDisabled,
        'endpoint_disabled',
        `endpoint ${endpoint.id} is disabled`,
        endpoint.fifo ? this.fifo.dropped(endpoint.id, command) : [],
      );
    }
    // Strict order: the gate decides when this delivery may go, and may park it instead.
    if (endpoint.fifo) {
      return this.fifo.run(endpoint.id, command, (ticket) => this.send(command, delivery, endpoint, ticket));
    }
    return this.send(command, delivery, endpoint);
  }

  private async send(
    command: DispatchDeliveryCommand,
    delivery: DeliveryRequested,
    endpoint: EndpointSnapshot,
    fifo?: FifoTicket,
  ): Promise<DispatchResult> {
    const now = Date.now();
    if (!this.breakers.allow(endpoint.id, now)) {
      heraldMetrics.deliveries.inc({ outcome: 'circuit_open' });
      const reopensAt = this.breakers.reopensAt(endpoint.id) ?? now;
      return this.defer(command, Math.max(0, reopensAt - now), fifo);
    }
    const maxInFlight =
      endpoint.maxInFlight > 0 ? endpoint.maxInFlight : this.env.HERALD_ENDPOINT_CONCURRENCY;
    const slot = await this.slots.acquire(
      endpoint.id,
      maxInFlight,
      endpoint.rateLimitPerSecond,
      now + this.env.HERALD_DISPATCH_SLOT_WAIT,
    );
    if (slot !== 'acquired') {
      this.breakers.abandonProbe(endpoint.id);
      return this.defer(command, 0, fifo);
    }
    command.onDispatched?.();

    const origin =
      readHeader(command.headers, KafkaHeaders.originTraceparent) ??
      readHeader(command.headers, KafkaHeaders.traceparent);
    const span = startAttemptSpan({
      deliveryId: delivery.deliveryId,
      attempt: delivery.attempt,
      endpointId: endpoint.id,
      eventType: delivery.eventType,
      originTraceparent: origin,
      previousAttemptTraceparent: readHeader(command.headers, KafkaHeaders.previousAttemptTraceparent),
    });
    let performed: SentAttempt;
    try {
      performed = await runInSpan(span, () => this.attempt(endpoint, delivery, origin));
    } finally {
      this.slots.release(endpoint.id);
    }
    try {
      return await this.conclude(command, delivery, endpoint, performed, span, fifo);
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private async attempt(
    endpoint: EndpointSnapshot,
    delivery: DeliveryRequested,
    origin: string | undefined,
  ): Promise<SentAttempt> {
    const http = startHttpClientSpan({
      method: 'POST',
      url: endpoint.url,
      resendCount: delivery.attempt - 1,
    });
    const traceparent = injectTraceparent(http) ?? fallbackTraceparent(origin);
    try {
      const performed = await this.performer.perform(endpoint, {
        webhookId: delivery.deliveryId,
        attempt: delivery.attempt,
        body: delivery.payload,
        traceparent,
        timeoutMs: endpoint.timeoutMs > 0 ? endpoint.timeoutMs : this.env.HERALD_DEFAULT_TIMEOUT,
      });
      const { status, errorClass, errorMessage } = performed.result;
      endHttpClientSpan(http, {
        statusCode: status,
        errorType: errorClass,
        message: errorMessage ?? undefined,
      });
      return { ...performed, traceparent };
    } catch (error) {
      // Signing failed (no active secret, or no master key opens it): a failed attempt, retried so an
      // operator can fix the key without losing the delivery.
      const message = `could not sign: ${(error as Error).message}`;
      endHttpClientSpan(http, { errorType: 'signing', message });
      return {
        traceparent,
        startedAt: new Date().toISOString(),
        request: { url: endpoint.url, method: 'POST', headers: {} },
        result: {
          status: null,
          headers: {},
          body: '',
          bodyTruncated: false,
          durationMs: 0,
          remoteIp: null,
          errorClass: 'unknown',
          errorMessage: message,
        },
      };
    }
  }

  private async conclude(
    command: DispatchDeliveryCommand,
    delivery: DeliveryRequested,
    endpoint: EndpointSnapshot,
    performed: SentAttempt,
    span: ReturnType<typeof startAttemptSpan>,
    fifo?: FifoTicket,
  ): Promise<DispatchResult> {
    const { result } = performed;
    const now = Date.now();
    const verdict = result.status !== null ? classifyStatus(result.status) : 'retry';
    const failed = verdict !== 'success';
    recordAttempt({ status: result.status, errorClass: result.errorClass, durationMs: result.durationMs });
    recordEndpointAttempt(endpoint.id, result.status);

    const records: OutgoingRecord[] = [];
    const transition = this.breakers.record(endpoint.id, failed, now);
    if (transition) {
      const type = transition === 'opened' ? 'endpoint.circuit_opened' : 'endpoint.circuit_closed';
      const reason =
        transition === 'opened'
          ? `failure rate reached ${Math.round(this.env.HERALD_BREAKER_FAILURE_RATE * 100)}% over ${this.env.HERALD_BREAKER_WINDOW}ms; pausing for ${this.env.HERALD_BREAKER_OPEN_FOR}ms`
          : 'probe attempt succeeded';
      records.push(this.operational(type, endpoint, null, reason, now));
    }

    let outcome: AttemptOutcome;
    let nextAttemptAt: string | null = null;
    let applyAfterWrite: EndpointSnapshot | null = null;
    if (verdict === 'success') {
      outcome = 'succeeded';
      this.failures.record(endpoint.id, false, now);
      recordEndToEnd(delivery.occurredAt, now);
    } else if (verdict === 'disable' || this.failures.record(endpoint.id, true, now)) {
      outcome = 'endpoint_disabled';
      const gone = verdict === 'disable';
      const since = this.failures.since(endpoint.id);
      const reason = gone
        ? 'the receiver answered 410 Gone'
        : `failing continuously since ${new Date(since ?? now).toISOString()} (HERALD_AUTO_DISABLE_AFTER)`;
      applyAfterWrite = this.disable(endpoint, reason, now, records);
      records.push(
        this.deadLetter(command, gone ? DeadLetterReason.endpointGone : DeadLetterReason.endpointDisabled),
      );
    } else {
      const retryAfterMs = verdict === 'backoff' ? parseRetryAfter(result.headers['retry-after'], now) : null;
      const plan = planRetry({
        attempt: delivery.attempt,
        scheduleMs: this.scheduleFor(endpoint),
        tiersMs: this.retry.HERALD_RETRY_TIERS,
        retryAfterMs,
        now,
      });
      if (plan.kind === 'retry') {
        outcome = 'retry_scheduled';
        nextAttemptAt = new Date(plan.dueAt).toISOString();
        const next: DeliveryRequested = {
          ...delivery,
          attempt: plan.nextAttempt,
          trigger: 'retry',
          requestedAt: new Date(now).toISOString(),
        };
        records.push({
          topic: plan.topic,
          key: command.key?.toString() ?? delivery.endpointId,
          value: JSON.stringify(next),
          headers: this.retryHeaders(
            command.headers,
            plan.dueAt,
            injectTraceparent(span) ?? performed.traceparent,
            fifo,
          ),
        });
      } else {
        outcome = 'exhausted';
        records.push(this.deadLetter(command, DeadLetterReason.exhausted));
        records.push(
          this.operational(
            'delivery.exhausted',
            endpoint,
            delivery.deliveryId,
            `all ${delivery.attempt} attempts failed; last: ${describeFailure(performed)}`,
            now,
          ),
        );
      }
    }
    heraldMetrics.deliveries.inc({ outcome });
    // Endpoints per circuit state, and transitions (a disable forgets the circuit: closed).
    recordCircuitState(endpoint.id, this.breakers.state(endpoint.id));
    this.log.debug(
      `delivery ${delivery.deliveryId} attempt ${delivery.attempt}: ${result.status ?? result.errorClass} in ${result.durationMs} ms, ${outcome}`,
    );
    const traced = spanIds(span);
    const ids = traced.traceId ? traced : idsOfTraceparent(performed.traceparent);
    records.push(this.attemptRecord(delivery, endpoint, performed, outcome, nextAttemptAt, ids, verdict));
    if (fifo) records.push(...fifo.concluded(nextAttemptAt === null ? null : Date.parse(nextAttemptAt)));
    await this.output.write(records);
    if (applyAfterWrite) this.directory.applyLocal(applyAfterWrite);
    return outcome;
  }

  private disable(
    endpoint: EndpointSnapshot,
    reason: string,
    now: number,
    records: OutgoingRecord[],
  ): EndpointSnapshot | null {
    const key = `${endpoint.id}@${endpoint.version}`;
    if (this.disabling.has(key)) return null;
    this.disabling.add(key);
    const at = new Date(now).toISOString();
    const snapshot: EndpointSnapshot = {
      ...endpoint,
      disabled: true,
      disabledReason: reason,
      version: endpoint.version + 1,
      updatedAt: at,
    };
    records.push({ topic: Topics.subscriptions, key: endpoint.id, value: JSON.stringify(snapshot) });
    records.push(this.operational('endpoint.disabled', endpoint, null, reason, now));
    this.log.warn(`endpoint ${endpoint.id} disabled: ${reason}`);
    this.breakers.forget(endpoint.id);
    this.failures.forget(endpoint.id);
    return snapshot;
  }

  private scheduleFor(endpoint: EndpointSnapshot): number[] {
    if (!endpoint.retrySchedule || endpoint.retrySchedule.length === 0)
      return this.retry.HERALD_RETRY_SCHEDULE;
    const cached = this.schedules.get(endpoint.id);
    if (cached && cached.version === endpoint.version) return cached.scheduleMs;
    let scheduleMs: number[];
    try {
      scheduleMs = validateRetrySchedule(endpoint.retrySchedule, this.retry.HERALD_RETRY_TIERS);
    } catch (error) {
      this.log.error(`endpoint ${endpoint.id}: ${(error as Error).message}; using the default schedule`);
      scheduleMs = this.retry.HERALD_RETRY_SCHEDULE;
    }
    this.schedules.set(endpoint.id, { version: endpoint.version, scheduleMs });
    return scheduleMs;
  }

  /** Re-queues an unattempted delivery unchanged (same attempt number) on the tier covering `minimumDelayMs`. */
  private async defer(
    command: DispatchDeliveryCommand,
    minimumDelayMs: number,
    fifo?: FifoTicket,
  ): Promise<DispatchResult> {
    const plan = planDeferral(this.retry.HERALD_RETRY_TIERS, Date.now(), minimumDelayMs);
    const headers = copyHeaders(command.headers);
    headers[KafkaHeaders.dueAt] = String(plan.dueAt);
    const lane = fifo ? fifo.deferred(plan.dueAt, headers) : [];
    await this.output.write([
      { topic: plan.topic, key: command.key?.toString() ?? null, value: command.value, headers },
      ...lane,
    ]);
    return 'deferred';
  }

  private async drop(
    command: DispatchDeliveryCommand,
    delivery: DeliveryRequested,
    reason: string,
    outcome: AttemptOutcome,
    message: string,
    lane: OutgoingRecord[] = [],
  ): Promise<DispatchResult> {
    const record = this.attemptRecordOf(delivery, new Date().toISOString(), {
      request: { url: '', method: 'POST', headers: {}, bodyRef: bodyRef(delivery) },
      durationMs: 0,
      response: null,
      remoteIp: null,
      errorClass: 'unknown',
      errorMessage: `${message}; not attempted (dead-lettered as ${reason})`,
      outcome,
      nextAttemptAt: null,
      traceId: null,
      spanId: null,
    });
    heraldMetrics.deliveries.inc({ outcome });
    await this.output.write([this.deadLetter(command, reason), record, ...lane]);
    return 'dropped';
  }

  private attemptRecord(
    delivery: DeliveryRequested,
    endpoint: EndpointSnapshot,
    performed: PerformedAttempt,
    outcome: AttemptOutcome,
    nextAttemptAt: string | null,
    ids: { traceId: string | null; spanId: string | null },
    verdict: string,
  ): OutgoingRecord {
    const { result } = performed;
    let errorClass: AttemptErrorClass | null = result.errorClass;
    if (!errorClass && verdict !== 'success' && result.status !== null) {
      errorClass = result.status >= 300 && result.status < 400 ? 'redirect' : 'http_status';
    }
    return this.attemptRecordOf(delivery, performed.startedAt, {
      durationMs: result.durationMs,
      request: {
        url: endpoint.url,
        method: performed.request.method,
        headers: performed.request.headers,
        bodyRef: bodyRef(delivery),
      },
      response:
        result.status === null
          ? null
          : {
              status: result.status,
              headers: result.headers,
              body: result.body,
              bodyTruncated: result.bodyTruncated,
            },
      remoteIp: result.remoteIp,
      errorClass,
      errorMessage: result.errorMessage ?? (errorClass ? `receiver answered ${result.status}` : null),
      outcome,
      nextAttemptAt,
      traceId: ids.traceId,
      spanId: ids.spanId,
    });
  }

  /**
   * The AttemptRecorded record of one delivery. Fields are copied one by one rather than spread:
   * spreading made this record several times dearer to build and serialise, on every attempt's path.
   */
  private attemptRecordOf(
    delivery: DeliveryRequested,
    startedAt: string,
    details: Omit<
      AttemptRecorded,
      | 'kind'
      | 'attemptId'
      | 'deliveryId'
      | 'workspaceId'
      | 'endpointId'
      | 'eventId'
      | 'eventType'
      | 'attempt'
      | 'startedAt'
    >,
  ): OutgoingRecord {
    const record: AttemptRecorded = {
      kind: 'AttemptRecorded',
      attemptId: randomUUID(),
      deliveryId: delivery.deliveryId,
      workspaceId: delivery.workspaceId,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      attempt: delivery.attempt,
      startedAt,
      durationMs: details.durationMs,
      request: details.request,
      response: details.response,
      remoteIp: details.remoteIp,
      errorClass: details.errorClass,
      errorMessage: details.errorMessage,
      outcome: details.outcome,
      nextAttemptAt: details.nextAttemptAt,
      traceId: details.traceId,
      spanId: details.spanId,
    };
    return { topic: Topics.attempts, key: delivery.deliveryId, value: JSON.stringify(record) };
  }

  private operational(
    type: OperationalEventType,
    endpoint: EndpointSnapshot,
    deliveryId: string | null,
    reason: string,
    now: number,
  ): OutgoingRecord {
    const event: OperationalEvent = {
      kind: 'OperationalEvent',
      type,
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      deliveryId,
      reason,
      at: new Date(now).toISOString(),
    };
    return { topic: Topics.operational, key: endpoint.id, value: JSON.stringify(event) };
  }

  private deadLetter(command: DispatchDeliveryCommand, reason: string): OutgoingRecord {
    const headers = copyHeaders(command.headers);
    headers[KafkaHeaders.reasonCode] = reason;
    return {
      topic: Topics.deliveriesDead,
      key: command.key?.toString() ?? null,
      value: command.value,
      headers,
    };
  }

  private retryHeaders(
    input: IHeaders,
    dueAt: number,
    attemptTraceparent: string | undefined,
    fifo?: FifoTicket,
  ): Record<string, string | Buffer> {
    const headers = copyHeaders(input);
    fifo?.tag(headers);
    // The first attempt's producer context becomes the origin every later attempt links to.
    if (!headers[KafkaHeaders.originTraceparent] && headers[KafkaHeaders.traceparent]) {
      headers[KafkaHeaders.originTraceparent] = headers[KafkaHeaders.traceparent];
    }
    if (attemptTraceparent) headers[KafkaHeaders.previousAttemptTraceparent] = attemptTraceparent;
    // The retry's trace starts when it falls due (the scheduler's forward), linked rather than parented.
    delete headers[KafkaHeaders.traceparent];
    headers[KafkaHeaders.dueAt] = String(dueAt);
    return headers;
  }
}

/** An attempt with the traceparent sent to the receiver. */
type SentAttempt = PerformedAttempt & { traceparent: string };

function bodyRef(delivery: DeliveryRequested): string {
  return `delivery:${delivery.deliveryId}`;
}

function describeFailure(performed: PerformedAttempt): string {
  const { status, errorClass, errorMessage } = performed.result;
  return status !== null
    ? `HTTP ${status}`
    : `${errorClass ?? 'error'}${errorMessage ? ` (${errorMessage.slice(0, 200)})` : ''}`;
}

function copyHeaders(headers: IHeaders): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first;
  }
  return out;
}

function parseDelivery(value: Buffer | null): DeliveryRequested | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as DeliveryRequested;
    const ok =
      parsed?.kind === 'DeliveryRequested' &&
      typeof parsed.deliveryId === 'string' &&
      typeof parsed.endpointId === 'string' &&
      typeof parsed.payload === 'string' &&
      Number.isInteger(parsed.attempt) &&
      parsed.attempt >= 1;
    return ok ? parsed : null;
  } catch {
    return null;
  }
}
