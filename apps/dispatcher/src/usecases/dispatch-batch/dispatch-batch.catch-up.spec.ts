import type { Kafka, KafkaMessage } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { type EndpointSnapshot, KafkaHeaders } from '@herald/contracts';
import { EndpointSnapshotStore } from '@herald/kafka';
import { PartitionProgress } from '../../delivery/partition-progress';
import { dispatcherEnv } from '../../dispatcher.env';
import { EndpointDirectory } from '../../endpoints/endpoint-directory';
import type { DispatchDeliveryUseCase } from '../dispatch-delivery/dispatch-delivery.usecase';
import { DispatchBatchUseCase } from './dispatch-batch.usecase';

const delivery = (offset: number, endpointId: string, version?: number): KafkaMessage =>
  ({
    offset: String(offset),
    key: Buffer.from(endpointId),
    value: Buffer.from(endpointId),
    headers: version === undefined ? {} : { [KafkaHeaders.endpointVersion]: Buffer.from(String(version)) },
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;

const snapshot = (id: string, version: number) =>
  ({ id, version, url: 'https://example.test' }) as EndpointSnapshot;

/**
 * The real directory over a store whose catch-up is the test's: `applied` are the snapshots the
 * changelog holds beyond what the directory has read; `reachable` false makes catch-up time out.
 */
function setup(options: { applied?: EndpointSnapshot[]; reachable?: boolean } = {}) {
  const env = loadConfig(dispatcherEnv, {
    HERALD_DISPATCH_BATCH_HOLD: '50ms',
    HERALD_DISPATCH_CATCH_UP_TIMEOUT: '200ms',
  });
  const directory = new EndpointDirectory({} as Kafka, { register: () => undefined } as never);
  const events: string[] = [];
  const catchUp = jest
    .spyOn(EndpointSnapshotStore.prototype, 'catchUp')
    .mockImplementation(async ({ timeoutMs }) => {
      events.push(`catch-up ${timeoutMs}ms`);
      if (options.reachable === false) return false;
      for (const s of options.applied ?? []) directory.applyLocal(s);
      return true;
    });
  const dispatch = {
    execute: jest.fn(async (command: { key: Buffer | null; onDispatched?: () => void }) => {
      const id = command.key!.toString();
      // What the dispatch use case would judge: endpoint_not_found without a snapshot.
      events.push(directory.get(id) ? `dispatch ${id} v${directory.get(id)!.version}` : `not found ${id}`);
      return 'succeeded';
    }),
  };
  const useCase = new DispatchBatchUseCase(
    env,
    new PartitionProgress(),
    dispatch as unknown as DispatchDeliveryUseCase,
    directory,
  );
  const batch = (messages: KafkaMessage[]) =>
    useCase.execute({ topic: 'herald.deliveries', partition: 0, messages });
  return { directory, batch, events, catchUp };
}

afterEach(() => jest.restoreAllMocks());

describe('DispatchBatchUseCase catch-up (read-your-writes)', () => {
  it('catches the directory up before dispatching a delivery for an endpoint it has not heard of', async () => {
    const t = setup({ applied: [snapshot('ep_new', 1)] });
    await expect(t.batch([delivery(0, 'ep_new', 1)])).resolves.toBeUndefined();
    expect(t.events).toEqual(['catch-up 200ms', 'dispatch ep_new v1']);
  });

  it('catches up when it holds an older version than the router matched', async () => {
    const t = setup({ applied: [snapshot('ep_1', 5)] });
    t.directory.applyLocal(snapshot('ep_1', 4));
    await t.batch([delivery(0, 'ep_1', 5)]);
    expect(t.events).toEqual(['catch-up 200ms', 'dispatch ep_1 v5']);
  });

  it('dispatches at once when every endpoint is held at its routed version', async () => {
    const t = setup();
    t.directory.applyLocal(snapshot('ep_1', 3));
    await t.batch([delivery(0, 'ep_1', 3), delivery(1, 'ep_1')]);
    expect(t.catchUp).not.toHaveBeenCalled();
    expect(t.events).toEqual(['dispatch ep_1 v3', 'dispatch ep_1 v3']);
  });

  it('judges an endpoint missing only after catching up', async () => {
    const t = setup();
    await t.batch([delivery(0, 'ep_gone', 2)]);
    expect(t.events).toEqual(['catch-up 200ms', 'not found ep_gone']);
  });

  it('reads the batch again instead of dispatching when catch-up times out', async () => {
    const t = setup({ reachable: false });
    await expect(t.batch([delivery(7, 'ep_new', 1), delivery(8, 'ep_new', 1)])).resolves.toMatchObject({
      processedThrough: null,
      rewindTo: '7',
      resumeAt: expect.any(Number),
    });
    expect(t.events).toEqual(['catch-up 200ms']);
  });
});
