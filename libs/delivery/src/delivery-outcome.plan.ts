import type { AttemptErrorClass, AttemptOutcome, OperationalDetails } from '@herald/contracts';
import { parseRetryAfter, planRetry } from '@herald/retry';
import { type Circuit, type CircuitBreakerSettings, recordCircuitResult } from './circuit.breaker';
import type { DeliveryIntent, DeliveryPlan } from './delivery-intent';
import { announcesRecovery, crossedFailingThreshold } from './failing-threshold.rule';
import { type FailureStreak, liveStreak } from './failure-streak';
import { classifyStatus } from './response.classifier';

export interface OutcomeSettings {
  breaker: CircuitBreakerSettings;
  /** HERALD_AUTO_DISABLE_AFTER */
  autoDisableAfterMs: number;
  /** HERALD_RETRY_TIERS */
  tiersMs: readonly number[];
}

export interface AttemptOutcomeInput {
  /** eventId and eventType are named in `delivery.exhausted`. */
  delivery: { deliveryId: string; attempt: number; eventId?: string; eventType?: string };
  endpoint: {
    id: string;
    version: number;
    fifo: boolean;
    /** Delays of the retries after the first attempt (the endpoint's own, or the default). */
    scheduleMs: readonly number[];
  };
  /** What the attempt got: a status, or an error class (network, timeout, signing). */
  result: {
    status: number | null;
    errorClass: AttemptErrorClass | null;
    errorMessage: string | null;
    retryAfter?: string;
  };
  state: {
    circuit: Circuit | undefined;
    streak: FailureStreak | undefined;
    /** A disable of this endpoint version was already asked for (another attempt tipped it). */
    disableRequested: boolean;
  };
  now: number;
  settings: OutcomeSettings;
  /** Uniform in [0, 1), for retry jitter; injectable for tests. */
  random?: () => number;
}

/**
 * Decides what one attempt's result means, with no I/O: the attempt record, a retry on its tier or a
 * dead letter, the circuit and failure-streak changes, an auto-disable request, operational events,
 * and the FIFO lane change. The receiver's answer is read by Standard Webhooks semantics
 * (`classifyStatus`); an endpoint that answers 410, or fails without a success for the auto-disable
 * window, is disabled rather than retried; on the way there it is warned about at 50, 70 and 90 % of
 * the window (`endpoint.failing`), and a success after a warning says `endpoint.recovered`.
 */
export function planAttemptOutcome(input: AttemptOutcomeInput): DeliveryPlan {
  const { delivery, endpoint, result, state, now, settings } = input;
  const verdict = result.status !== null ? classifyStatus(result.status) : 'retry';
  const failed = verdict !== 'success';
  const intents: DeliveryIntent[] = [];

  const breaker = recordCircuitResult(state.circuit, failed, now, settings.breaker);
  if (breaker.transition === 'opened') {
    const { failureRate, windowMs, openMs } = settings.breaker;
    intents.push(
      operational(
        'endpoint.circuit_opened',
        `failure rate reached ${Math.round(failureRate * 100)}% over ${windowMs}ms; pausing for ${openMs}ms`,
        { probeAt: new Date(now + openMs).toISOString() },
      ),
    );
  } else if (breaker.transition === 'closed') {
    intents.push(operational('endpoint.circuit_closed', 'probe attempt succeeded'));
  }

  const streak = liveStreak(state.streak, endpoint.version);
  if (!failed && state.streak) {
    intents.push({ kind: 'clear_streak' });
    if (announcesRecovery(state.streak)) {
      intents.push(
        operational('endpoint.recovered', 'an attempt succeeded after a failing streak', {
          failingSince: new Date(state.streak.failingSince).toISOString(),
          threshold: state.streak.threshold,
        }),
      );
    }
  }
  if (failed && !streak) intents.push({ kind: 'start_streak', version: endpoint.version, failingSince: now });
  const failingSince = streak?.failingSince ?? now;

  let errorClass = result.errorClass;
  if (!errorClass && failed && result.status !== null) {
    errorClass = result.status >= 300 && result.status < 400 ? 'redirect' : 'http_status';
  }
  const errorMessage = result.errorMessage ?? (errorClass ? `receiver answered ${result.status}` : null);

  let outcome: AttemptOutcome;
  let nextAttemptAt: number | null = null;
  let circuit = breaker.circuit;
  if (!failed) {
    outcome = 'succeeded';
    intents.push(...fifo(endpoint.fifo, { kind: 'resolved' }));
  } else if (verdict === 'disable' || now - failingSince >= settings.autoDisableAfterMs) {
    outcome = 'endpoint_disabled';
    const gone = verdict === 'disable';
    if (!state.disableRequested) {
      intents.push({
        kind: 'request_disable',
        reason: gone ? 'endpoint_gone' : 'endpoint_failing',
        observedVersion: endpoint.version,
        detail: gone
          ? 'the receiver answered 410 Gone'
          : `failing continuously since ${new Date(failingSince).toISOString()} (HERALD_AUTO_DISABLE_AFTER)`,
      });
    }
    // Nothing more is sent to it, so its circuit no longer matters.
    circuit = undefined;
    intents.push({ kind: 'dead_letter', reason: gone ? 'endpoint_gone' : 'endpoint_disabled' });
    intents.push(...fifo(endpoint.fifo, { kind: 'resolved' }));
  } else {
    if (streak) intents.push(...failingWarning(streak, now, settings.autoDisableAfterMs));
    const plan = planRetry({
      attempt: delivery.attempt,
      scheduleMs: endpoint.scheduleMs,
      tiersMs: settings.tiersMs,
      retryAfterMs: verdict === 'backoff' ? parseRetryAfter(result.retryAfter, now) : null,
      now,
      random: input.random,
    });
    if (plan.kind === 'retry') {
      outcome = 'retry_scheduled';
      nextAttemptAt = plan.dueAt;
      intents.push({
        kind: 'schedule_retry',
        nextAttempt: plan.nextAttempt,
        tierTopic: plan.topic,
        dueAt: plan.dueAt,
      });
      intents.push(...fifo(endpoint.fifo, { kind: 'retrying', dueAt: plan.dueAt }));
    } else {
      outcome = 'exhausted';
      intents.push({ kind: 'dead_letter', reason: 'exhausted' });
      intents.push({
        kind: 'operational',
        type: 'delivery.exhausted',
        deliveryId: delivery.deliveryId,
        reason: `all ${delivery.attempt} attempts failed; last: ${describeFailure(result)}`,
        details: { eventId: delivery.eventId, eventType: delivery.eventType, attempts: delivery.attempt },
      });
      intents.push(...fifo(endpoint.fifo, { kind: 'resolved' }));
    }
  }
  if (circuit !== state.circuit) intents.unshift({ kind: 'set_circuit', circuit });
  intents.push({ kind: 'record_attempt', outcome, attempted: true, nextAttemptAt, errorClass, errorMessage });
  return { result: outcome, intents };
}

function operational(
  type: 'endpoint.circuit_opened' | 'endpoint.circuit_closed' | 'endpoint.failing' | 'endpoint.recovered',
  reason: string,
  details?: OperationalDetails,
): DeliveryIntent {
  return { kind: 'operational', type, deliveryId: null, reason, ...(details ? { details } : {}) };
}

/** The failing level this failure crosses, remembered on the streak and announced; none if none. */
function failingWarning(streak: FailureStreak, now: number, windowMs: number): DeliveryIntent[] {
  const threshold = crossedFailingThreshold({
    failingSince: streak.failingSince,
    announced: streak.threshold,
    now,
    windowMs,
  });
  if (threshold === null) return [];
  const failingSince = new Date(streak.failingSince).toISOString();
  return [
    { kind: 'mark_streak', version: streak.version, failingSince: streak.failingSince, threshold },
    operational(
      'endpoint.failing',
      `failing since ${failingSince}: ${threshold}% of HERALD_AUTO_DISABLE_AFTER`,
      {
        failingSince,
        threshold,
        disableAt: new Date(streak.failingSince + windowMs).toISOString(),
      },
    ),
  ];
}

function fifo(
  isFifo: boolean,
  change: Extract<DeliveryIntent, { kind: 'fifo' }>['change'],
): DeliveryIntent[] {
  return isFifo ? [{ kind: 'fifo', change }] : [];
}

function describeFailure(result: AttemptOutcomeInput['result']): string {
  const { status, errorClass, errorMessage } = result;
  return status !== null
    ? `HTTP ${status}`
    : `${errorClass ?? 'error'}${errorMessage ? ` (${errorMessage.slice(0, 200)})` : ''}`;
}
