import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  decodeDeliveryRequested,
  type DeliveryRequested,
  type EndpointSnapshot,
  KafkaHeaders,
} from '@herald/contracts';
import {
  CircuitBreakers,
  type DispatchResult,
  FailureStreaks,
  type FifoSeq,
  planAttemptOutcome,
  planCircuitGate,
  planFifoPark,
  planInvalidRecord,
  planNoSlot,
  planUnsendable,
} from '@herald/delivery';
import { SignedAttemptPerformer } from '@herald/http-delivery';
import { readHeader } from '@herald/kafka';
import type { RetryEnv } from '@herald/retry';
import { injectTraceparent, recordSpanError, runInSpan, spanIds, startAttemptSpan } from '@herald/telemetry';
import { idsOfTraceparent } from '../../delivery/attempt-traceparent';
import { AutoDisableOverlay } from '../../delivery/auto-disable.overlay';
import { EndpointSlots } from '../../delivery/endpoint-slots';
import { RetrySchedules } from '../../delivery/retry-schedules';
import { sendSignedAttempt } from '../../delivery/signed-attempt';
import { DISPATCHER_ENV, type DispatcherEnv } from '../../dispatcher.env';
import { RETRY_ENV } from '../../dispatcher.tokens';
import { EndpointDirectory } from '../../endpoints/endpoint-directory';
import { FifoGate, fifoSeqOf } from '../../fifo/fifo-gate';
import type { DispatchDeliveryCommand } from './dispatch-delivery.command';
import { DeliveryIntentExecutor } from './delivery-intents.executor';

export type { DispatchResult } from '@herald/delivery';

/**
 * One delivery, in order: decode it, refuse it if its endpoint is unknown or disabled, take its FIFO
 * turn, pass the breaker and the endpoint's slot, make one signed attempt, decide what the answer
 * means (`planAttemptOutcome`) and have the executor carry that out. Every rule is a pure plan from
 * `@herald/delivery`; this class only gathers their inputs and runs the steps. Resolves once Kafka
 * holds the records; rejects only when producing failed, so the record is read again.
 */
@Injectable()
export class DispatchDeliveryUseCase {
  private readonly log = new Logger(DispatchDeliveryUseCase.name);
  private readonly schedules: RetrySchedules;

  constructor(
    @Inject(DISPATCHER_ENV) private readonly env: DispatcherEnv,
    @Inject(RETRY_ENV) private readonly retry: RetryEnv,
    @Inject(EndpointDirectory) private readonly directory: EndpointDirectory,
    @Inject(SignedAttemptPerformer) private readonly performer: SignedAttemptPerformer,
    @Inject(EndpointSlots) private readonly slots: EndpointSlots,
    @Inject(CircuitBreakers) private readonly breakers: CircuitBreakers,
    @Inject(FailureStreaks) private readonly streaks: FailureStreaks,
    @Inject(AutoDisableOverlay) private readonly overlay: AutoDisableOverlay,
    @Inject(FifoGate) private readonly fifo: FifoGate,
    @Inject(DeliveryIntentExecutor) private readonly executor: DeliveryIntentExecutor,
  ) {
    this.schedules = new RetrySchedules(retry.HERALD_RETRY_SCHEDULE, retry.HERALD_RETRY_TIERS);
    directory.onRemoved((id) => {
      this.performer.forget(id);
      this.breakers.forget(id);
      this.streaks.delete(id);
      this.overlay.forget(id);
      this.schedules.forget(id);
    });
    directory.onUpdated((snapshot) => {
      this.overlay.onSnapshot(snapshot);
      this.streaks.pruneBelow(snapshot.id, snapshot.version);
    });
  }

  async execute(command: DispatchDeliveryCommand): Promise<DispatchResult> {
    const delivery = decodeDeliveryRequested(command.value);
    if (!delivery) {
      this.log.error(`delivery record at offset ${command.offset} is not a DeliveryRequested; dead-lettered`);
      return this.executor.carryOut(planInvalidRecord(), { command, now: Date.now() });
    }
    const endpoint = this.directory.get(delivery.endpointId);
    const refused = planUnsendable({
      endpointId: delivery.endpointId,
      endpoint,
      disableRequested: endpoint !== undefined && this.overlay.covers(endpoint),
    });
    if (refused || !endpoint) {
      const fifoSeq = endpoint?.fifo ? fifoSeqOf(command) : null;
      return this.executor.carryOut(refused!, { command, delivery, endpoint, fifoSeq, now: Date.now() });
    }
    if (!endpoint.fifo) return this.send(command, delivery, endpoint, null);
    // Strict order: the gate says when this delivery may go, or that it must be parked.
    const turn = await this.fifo.admit(endpoint.id, command);
    if (turn.kind === 'park') {
      const now = Date.now();
      const plan = planFifoPark({ after: turn.after, now, tiersMs: this.retry.HERALD_RETRY_TIERS });
      return this.executor.carryOut(plan, { command, delivery, endpoint, fifoSeq: turn.seq, now });
    }
    try {
      return await this.send(command, delivery, endpoint, turn.seq);
    } finally {
      this.fifo.release(endpoint.id, turn.seq);
    }
  }

  private async send(
    command: DispatchDeliveryCommand,
    delivery: DeliveryRequested,
    endpoint: EndpointSnapshot,
    fifoSeq: FifoSeq | null,
  ): Promise<DispatchResult> {
    const tiersMs = this.retry.HERALD_RETRY_TIERS;
    const fifo = fifoSeq !== null;
    let now = Date.now();
    const context = { command, delivery, endpoint, fifoSeq, now };
    const gate = planCircuitGate({
      circuit: this.breakers.get(endpoint.id),
      fifo,
      now,
      breaker: this.breakers.settings,
      tiersMs,
    });
    if (!gate.allow) return this.executor.carryOut(gate.plan, context);
    // The probe is reserved before any wait, so no other delivery takes it meanwhile.
    for (const intent of gate.intents)
      if (intent.kind === 'set_circuit') this.breakers.set(endpoint.id, intent.circuit);

    // The limiter clamps this to the workspace's share and the global cap.
    const maxInFlight =
      endpoint.maxInFlight > 0 ? endpoint.maxInFlight : this.env.HERALD_ENDPOINT_CONCURRENCY;
    const slot = await this.slots.acquire(
      endpoint.workspaceId,
      endpoint.id,
      maxInFlight,
      endpoint.rateLimitPerSecond,
    );
    if (slot !== 'acquired') {
      now = Date.now();
      const plan = planNoSlot({ circuit: this.breakers.get(endpoint.id), fifo, now, tiersMs });
      return this.executor.carryOut(plan, { ...context, now });
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
    let sent: Awaited<ReturnType<typeof sendSignedAttempt>>;
    try {
      sent = await runInSpan(span, () =>
        sendSignedAttempt(this.performer, endpoint, delivery, origin, this.env.HERALD_DEFAULT_TIMEOUT),
      );
    } finally {
      this.slots.release(endpoint.id);
    }
    try {
      now = Date.now();
      const plan = planAttemptOutcome({
        delivery,
        endpoint: {
          id: endpoint.id,
          version: endpoint.version,
          fifo,
          scheduleMs: this.schedules.of(endpoint),
        },
        result: { ...sent.result, retryAfter: sent.result.headers['retry-after'] },
        state: {
          circuit: this.breakers.get(endpoint.id),
          streak: this.streaks.get(endpoint.id),
          disableRequested: this.overlay.covers(endpoint),
        },
        now,
        settings: {
          breaker: this.breakers.settings,
          autoDisableAfterMs: this.env.HERALD_AUTO_DISABLE_AFTER,
          tiersMs,
        },
      });
      const traced = spanIds(span);
      const ids = traced.traceId ? traced : idsOfTraceparent(sent.traceparent);
      // The context a retry links to, only built when there is one.
      const retried = plan.intents.some((intent) => intent.kind === 'schedule_retry');
      const linkTraceparent = retried ? (injectTraceparent(span) ?? sent.traceparent) : undefined;
      return await this.executor.carryOut(plan, { ...context, now, attempt: { sent, ids, linkTraceparent } });
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }
}
