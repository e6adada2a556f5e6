/** Test fixtures of the dispatch use case: a snapshot, a delivery, receiver answers, and the wired use case. */
import { loadConfig } from '@herald/config';
import type { DeliveryRequested, EndpointSnapshot } from '@herald/contracts';
import { CircuitBreakers, FailureStreaks } from '@herald/delivery';
import type { PerformedAttempt, SendResult, SignedAttemptPerformer } from '@herald/http-delivery';
import type { OutgoingRecord } from '@herald/kafka';
import { retryEnv } from '@herald/retry';
import { sampleDeliveryRequested, sampleEndpointSnapshot } from '@herald/testing/fixtures';
import { AutoDisableOverlay } from '../../delivery/auto-disable.overlay';
import { EndpointSlots } from '../../delivery/endpoint-slots';
import { dispatcherEnv } from '../../dispatcher.env';
import type { EndpointDirectory } from '../../endpoints/endpoint-directory';
import { FifoGate } from '../../fifo/fifo-gate';
import { DeliveryIntentExecutor } from './delivery-intents.executor';
import { DispatchDeliveryUseCase } from './dispatch-delivery.usecase';

/** The shared sample snapshot, with the id, version, URL and limits the dispatch specs assert on. */
export const endpoint = (overrides: Partial<EndpointSnapshot> = {}): EndpointSnapshot =>
  sampleEndpointSnapshot({
    id: 'ep_1',
    workspaceId: 'ws_1',
    version: 3,
    url: 'https://hooks.example.com/in',
    timeoutMs: 0,
    maxInFlight: 2,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  });

export const delivery = (attempt = 1): DeliveryRequested =>
  sampleDeliveryRequested({
    deliveryId: 'dlv_1',
    workspaceId: 'ws_1',
    endpointId: 'ep_1',
    eventId: 'evt_1',
    attempt,
    payload: '{"a":1}',
  });

export const response = (status: number | null, extra: Partial<SendResult> = {}): PerformedAttempt => ({
  startedAt: new Date().toISOString(),
  request: {
    url: 'https://hooks.example.com/in',
    method: 'POST',
    headers: { 'webhook-signature': '[redacted]' },
  },
  result: {
    status,
    headers: {},
    body: '',
    bodyTruncated: false,
    durationMs: 5,
    remoteIp: '93.184.216.34',
    errorClass: status === null ? 'connect' : null,
    errorMessage: status === null ? 'refused' : null,
    ...extra,
  },
});

export function setup(
  options: {
    endpoint?: EndpointSnapshot | null;
    answers?: PerformedAttempt[];
    env?: Record<string, string>;
    breakerMinAttempts?: number;
    streaks?: FailureStreaks;
  } = {},
) {
  const env = loadConfig(dispatcherEnv, {
    HERALD_BREAKER_MIN_ATTEMPTS: '3',
    HERALD_BREAKER_OPEN_FOR: '60s',
    ...options.env,
  });
  const retry = loadConfig(retryEnv, { HERALD_RETRY_SCHEDULE: '5s,5m', HERALD_RETRY_TIERS: '5s,1m,5m' });
  let current = options.endpoint === undefined ? endpoint() : options.endpoint;
  const updated: Array<(snapshot: EndpointSnapshot) => void> = [];
  const directory = {
    get: jest.fn(() => current ?? undefined),
    onRemoved: jest.fn(),
    onUpdated: (listener: (snapshot: EndpointSnapshot) => void) => updated.push(listener),
  };
  /** A newer snapshot read from herald.subscriptions. */
  const publish = (snapshot: EndpointSnapshot) => {
    current = snapshot;
    for (const listener of updated) listener(snapshot);
  };
  const answers = [...(options.answers ?? [response(200)])];
  const performer = {
    perform: jest.fn(async (_endpoint: EndpointSnapshot, _input: unknown) =>
      answers.length > 1 ? answers.shift()! : answers[0],
    ),
  };
  const written: OutgoingRecord[] = [];
  const output = { write: jest.fn(async (records: OutgoingRecord[]) => void written.push(...records)) };
  const breakers = new CircuitBreakers({
    failureRate: 0.5,
    minimumAttempts: options.breakerMinAttempts ?? 3,
    windowMs: 60_000,
    openMs: 60_000,
  });
  const fifo = new FifoGate({ waitMs: 50, lostAfterMs: 3_600_000, writerId: 'w1' }, output);
  const streaks = options.streaks ?? new FailureStreaks();
  const overlay = new AutoDisableOverlay();
  const useCase = new DispatchDeliveryUseCase(
    env,
    retry,
    directory as unknown as EndpointDirectory,
    performer as unknown as SignedAttemptPerformer,
    new EndpointSlots(100, { stallMs: env.HERALD_DISPATCH_SLOT_WAIT }),
    breakers,
    streaks,
    overlay,
    fifo,
    new DeliveryIntentExecutor(output, breakers, streaks, overlay, fifo, 'w1'),
  );
  const run = (d: DeliveryRequested = delivery(), headers: Record<string, string> = {}, offset = '7') =>
    useCase.execute({
      offset,
      key: Buffer.from('ep_1'),
      value: Buffer.from(JSON.stringify(d)),
      headers,
    });
  const on = (topic: string) => written.filter((r) => r.topic === topic);
  const json = <T>(r: OutgoingRecord) => JSON.parse(String(r.value)) as T;
  return { run, performer, directory, publish, written, on, json, fifo, output, streaks, overlay };
}
