import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  type AttemptRecorded,
  attemptRecordedRecord,
  autoDisableEndpointCommand,
  deadLetterRecord,
  type DeliveryRequested,
  deferredDeliveryRecord,
  endpointCommandRecord,
  endpointHealth,
  endpointHealthRecord,
  type EndpointSnapshot,
  type HeraldRecord,
  operationalEventRecord,
  retryDeliveryRecord,
} from '@herald/contracts';
import type {
  CircuitBreakers,
  DeliveryIntent,
  DeliveryPlan,
  DispatchResult,
  FailureStreak,
  FailureStreaks,
  FifoSeq,
} from '@herald/delivery';
import {
  heraldMetrics,
  isDebugLogging,
  recordAttempt,
  recordCircuitState,
  recordEndpointAttempt,
  recordEndToEnd,
} from '@herald/telemetry';
import type { AutoDisableOverlay } from '../../delivery/auto-disable.overlay';
import type { SentAttempt } from '../../delivery/signed-attempt';
import type { FifoGate } from '../../fifo/fifo-gate';
import type { DispatchDeliveryCommand } from './dispatch-delivery.command';

/** Where the shell writes; in production an OutputBuffer over the Herald producer (acks=all). */
export interface DeliveryOutput {
  write(records: HeraldRecord[]): Promise<void>;
}

/** What the records of one delivery are built from. */
export interface IntentContext {
  command: DispatchDeliveryCommand;
  delivery?: DeliveryRequested;
  endpoint?: EndpointSnapshot;
  /** The FIFO place, when the endpoint keeps order. */
  fifoSeq?: FifoSeq | null;
  /** The attempt made, with the trace ids recorded on it and the context the next attempt links to. */
  attempt?: {
    sent: SentAttempt;
    ids: { traceId: string | null; spanId: string | null };
    linkTraceparent?: string;
  };
  now: number;
}

/** How to put back memory changes whose records were not written, so the next read tries again. */
type Undo = () => void;

/**
 * Carries out a delivery's plan: applies its memory changes (circuit, failure streak, disable overlay,
 * FIFO lane) at once, so concurrent deliveries of the endpoint see them, then writes every record it
 * asks for in one produce that resolves only once Kafka holds them all, before the offset may commit.
 * A failed write puts the streak, overlay and lane changes back and rejects, so the record is read again.
 */
export class DeliveryIntentExecutor {
  private readonly log = new Logger(DeliveryIntentExecutor.name);

  constructor(
    private readonly output: DeliveryOutput,
    private readonly breakers: CircuitBreakers,
    private readonly streaks: FailureStreaks,
    private readonly overlay: AutoDisableOverlay,
    private readonly fifo: FifoGate,
    private readonly writerId: string,
  ) {}

  async carryOut(plan: DeliveryPlan, ctx: IntentContext): Promise<DispatchResult> {
    const records: HeraldRecord[] = [];
    const lane: HeraldRecord[] = [];
    const undo: Undo[] = [];
    for (const intent of plan.intents) this.apply(intent, ctx, records, lane, undo);
    if (ctx.attempt && ctx.endpoint)
      recordCircuitState(ctx.endpoint.id, this.breakers.state(ctx.endpoint.id));
    try {
      await this.output.write(lane.length > 0 ? records.concat(lane) : records);
    } catch (error) {
      for (const step of undo) step();
      throw error;
    }
    return plan.result;
  }

  private apply(
    intent: DeliveryIntent,
    ctx: IntentContext,
    records: HeraldRecord[],
    lane: HeraldRecord[],
    undo: Undo[],
  ): void {
    const { command, now } = ctx;
    const endpointId = ctx.endpoint?.id ?? ctx.delivery?.endpointId ?? '';
    const key = command.key?.toString() ?? null;
    switch (intent.kind) {
      case 'set_circuit':
        this.breakers.set(endpointId, intent.circuit);
        return;
      case 'start_streak':
        this.setStreak(
          endpointId,
          { version: intent.version, failingSince: intent.failingSince },
          records,
          undo,
        );
        return;
      case 'mark_streak': {
        const { version, failingSince, threshold } = intent;
        this.setStreak(endpointId, { version, failingSince, threshold }, records, undo);
        return;
      }
      case 'clear_streak': {
        const before = this.streaks.get(endpointId);
        this.streaks.delete(endpointId);
        undo.push(() => this.restoreStreak(endpointId, undefined, before));
        records.push(endpointHealthRecord(endpointId, null, this.writerId));
        return;
      }
      case 'request_disable': {
        this.overlay.add(endpointId, intent.observedVersion);
        undo.push(() => this.overlay.withdraw(endpointId, intent.observedVersion));
        this.log.warn(`endpoint ${endpointId} to be disabled: ${intent.detail}`);
        records.push(
          endpointCommandRecord(
            autoDisableEndpointCommand({
              endpointId,
              workspaceId: ctx.endpoint?.workspaceId ?? ctx.delivery?.workspaceId ?? '',
              observedVersion: intent.observedVersion,
              reason: intent.reason,
              deliveryId: ctx.delivery?.deliveryId ?? null,
              requestedAt: new Date(now).toISOString(),
            }),
          ),
        );
        return;
      }
      case 'operational':
        records.push(
          operationalEventRecord({
            type: intent.type,
            workspaceId: ctx.endpoint?.workspaceId ?? '',
            endpointId,
            deliveryId: intent.deliveryId,
            reason: intent.reason,
            at: new Date(now).toISOString(),
            ...(intent.details ? { details: intent.details } : {}),
          }),
        );
        return;
      case 'dead_letter':
        records.push(
          deadLetterRecord({ key, value: command.value, headers: command.headers, reason: intent.reason }),
        );
        return;
      case 'schedule_retry':
        records.push(
          retryDeliveryRecord({
            delivery: ctx.delivery!,
            nextAttempt: intent.nextAttempt,
            requestedAt: new Date(now).toISOString(),
            tierTopic: intent.tierTopic,
            key: key ?? endpointId,
            headers: command.headers,
            dueAt: intent.dueAt,
            previousAttemptTraceparent: ctx.attempt?.linkTraceparent,
            fifoSeq: ctx.fifoSeq,
          }),
        );
        return;
      case 'defer':
        if (intent.cause !== 'no_slot') heraldMetrics.deliveries.inc({ outcome: intent.cause });
        records.push(
          deferredDeliveryRecord({
            tierTopic: intent.tierTopic,
            key,
            value: command.value,
            headers: command.headers,
            dueAt: intent.dueAt,
            fifoSeq: ctx.fifoSeq,
          }),
        );
        return;
      case 'record_attempt':
        heraldMetrics.deliveries.inc({ outcome: intent.outcome });
        if (ctx.delivery) records.push(this.attemptRecord(intent, ctx, ctx.delivery));
        return;
      case 'fifo': {
        if (ctx.fifoSeq == null) return;
        const changed = this.fifo.change(endpointId, ctx.fifoSeq, intent.change);
        lane.push(...changed.records);
        if (changed.taken.length > 0) undo.push(() => this.fifo.restore(endpointId, changed.taken));
        return;
      }
    }
  }

  /** Holds the streak at once and persists it on herald.endpoint-health in the same produce. */
  private setStreak(endpointId: string, streak: FailureStreak, records: HeraldRecord[], undo: Undo[]): void {
    const before = this.streaks.get(endpointId);
    this.streaks.set(endpointId, streak);
    undo.push(() => this.restoreStreak(endpointId, streak, before));
    const health = endpointHealth({
      endpointId,
      version: streak.version,
      failingSince: new Date(streak.failingSince).toISOString(),
      ...(streak.threshold ? { threshold: streak.threshold } : {}),
    });
    records.push(endpointHealthRecord(endpointId, health, this.writerId));
  }

  private restoreStreak(
    endpointId: string,
    mine: FailureStreak | undefined,
    before: FailureStreak | undefined,
  ): void {
    // Only if nothing else changed it since.
    if (this.streaks.get(endpointId) !== mine) return;
    if (before) this.streaks.set(endpointId, before);
    else this.streaks.delete(endpointId);
  }

  /**
   * The AttemptRecorded of one delivery. Fields are written out one by one rather than spread:
   * spreading made this record several times dearer to build and serialise, on every attempt's path.
   */
  private attemptRecord(
    intent: Extract<DeliveryIntent, { kind: 'record_attempt' }>,
    ctx: IntentContext,
    delivery: DeliveryRequested,
  ): HeraldRecord {
    const sent = intent.attempted ? ctx.attempt?.sent : undefined;
    const result = sent?.result;
    if (sent && result && ctx.endpoint) {
      recordAttempt({ status: result.status, errorClass: result.errorClass, durationMs: result.durationMs });
      recordEndpointAttempt(ctx.endpoint.id, result.status);
      if (intent.outcome === 'succeeded') recordEndToEnd(delivery.occurredAt, ctx.now);
      // Built only when debug lines are written: the message cost CPU on every attempt otherwise.
      if (isDebugLogging())
        this.log.debug(
          `delivery ${delivery.deliveryId} attempt ${delivery.attempt}: ${result.status ?? result.errorClass} in ${result.durationMs} ms, ${intent.outcome}`,
        );
    }
    const record: AttemptRecorded = {
      kind: 'AttemptRecorded',
      attemptId: randomUUID(),
      deliveryId: delivery.deliveryId,
      workspaceId: delivery.workspaceId,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      attempt: delivery.attempt,
      startedAt: sent?.startedAt ?? new Date(ctx.now).toISOString(),
      durationMs: result?.durationMs ?? 0,
      request: {
        url: sent ? (ctx.endpoint?.url ?? sent.request.url) : '',
        method: 'POST',
        headers: sent?.request.headers ?? {},
        bodyRef: `delivery:${delivery.deliveryId}`,
        // Named so a reader sees why a configured header did not arrive.
        ...(sent?.request.skippedHeaders?.length ? { skippedHeaders: sent.request.skippedHeaders } : {}),
      },
      response:
        !result || result.status === null
          ? null
          : {
              status: result.status,
              headers: result.headers,
              body: result.body,
              bodyTruncated: result.bodyTruncated,
            },
      remoteIp: result?.remoteIp ?? null,
      errorClass: intent.errorClass,
      errorMessage: intent.errorMessage,
      outcome: intent.outcome,
      nextAttemptAt: intent.nextAttemptAt === null ? null : new Date(intent.nextAttemptAt).toISOString(),
      traceId: sent ? ctx.attempt!.ids.traceId : null,
      spanId: sent ? ctx.attempt!.ids.spanId : null,
      // The delivery's partition key (older requests lack createdAt: requestedAt is what the row got).
      deliveryCreatedAt: delivery.createdAt ?? delivery.requestedAt,
    };
    return attemptRecordedRecord(record);
  }
}
