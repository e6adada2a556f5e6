import type {
  AttemptErrorClass,
  AttemptOutcome,
  DeadLetterReasonCode,
  FailingThreshold,
  OperationalDetails,
  OperationalEventType,
} from '@herald/contracts';
import type { Circuit } from './circuit.breaker';

/** What happens to a FIFO delivery's entry in its endpoint's lane. */
export type FifoLaneChange =
  /** Attempted and failed, retry due at `dueAt`: it blocks the endpoint until it resolves. */
  | { kind: 'retrying'; dueAt: number }
  /** Re-queued unattempted (parked, circuit open, no slot): it keeps its place. */
  | { kind: 'deferred'; dueAt: number }
  /** Delivered or dead-lettered after an attempt: it frees the endpoint. */
  | { kind: 'resolved' }
  /** Dead-lettered unattempted: it frees the endpoint, and its entry is always tombstoned. */
  | { kind: 'dropped' };

/**
 * One thing a delivery's decision asks for. The decide functions return these; the dispatcher's
 * shell carries them out (memory, then records in one produce), in the order given.
 */
export type DeliveryIntent =
  | {
      kind: 'record_attempt';
      outcome: AttemptOutcome;
      /** False when the delivery was dead-lettered without an attempt. */
      attempted: boolean;
      nextAttemptAt: number | null;
      errorClass: AttemptErrorClass | null;
      errorMessage: string | null;
    }
  /** The next attempt, on a retry tier. */
  | { kind: 'schedule_retry'; nextAttempt: number; tierTopic: string; dueAt: number }
  /** The record as read, unchanged, on a retry tier. */
  | { kind: 'defer'; tierTopic: string; dueAt: number; cause: 'circuit_open' | 'no_slot' | 'fifo_parked' }
  | { kind: 'dead_letter'; reason: DeadLetterReasonCode }
  | {
      kind: 'operational';
      type: OperationalEventType;
      deliveryId: string | null;
      reason: string;
      details?: OperationalDetails;
    }
  /** Ask the endpoints' owner (the API) to disable it, if it is still at `observedVersion`. */
  | {
      kind: 'request_disable';
      reason: 'endpoint_gone' | 'endpoint_failing';
      observedVersion: number;
      detail: string;
    }
  | { kind: 'start_streak'; version: number; failingSince: number }
  /** The streak crossed a failing level: remembered (and persisted) so it is announced once. */
  | { kind: 'mark_streak'; version: number; failingSince: number; threshold: FailingThreshold }
  | { kind: 'clear_streak' }
  | { kind: 'set_circuit'; circuit: Circuit | undefined }
  | { kind: 'fifo'; change: FifoLaneChange };

/** How one delivery ended, as the dispatch use case reports it. */
export type DispatchResult =
  'succeeded' | 'retry_scheduled' | 'exhausted' | 'endpoint_disabled' | 'deferred' | 'dropped';

export interface DeliveryPlan {
  result: DispatchResult;
  intents: DeliveryIntent[];
}
