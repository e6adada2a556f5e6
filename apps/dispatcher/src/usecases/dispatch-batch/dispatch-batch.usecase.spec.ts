import type { KafkaMessage } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { PartitionProgress } from '../../delivery/partition-progress';
import { dispatcherEnv } from '../../dispatcher.env';
import type { DispatchDeliveryUseCase } from '../dispatch-delivery/dispatch-delivery.usecase';
import { DispatchBatchUseCase } from './dispatch-batch.usecase';

const message = (offset: number, tag: string): KafkaMessage =>
  ({
    offset: String(offset),
    key: Buffer.from(tag),
    value: Buffer.from(tag),
    headers: {},
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;

function setup(behaviour: (tag: string) => Promise<unknown>) {
  const env = loadConfig(dispatcherEnv, { HERALD_DISPATCH_BATCH_HOLD: '50ms' });
  const calls: string[] = [];
  const dispatch = {
    execute: jest.fn(async (command: { value: Buffer }) => {
      const tag = command.value.toString();
      calls.push(tag);
      return behaviour(tag);
    }),
  };
  const useCase = new DispatchBatchUseCase(
    env,
    new PartitionProgress(),
    dispatch as unknown as DispatchDeliveryUseCase,
  );
  const batch = (messages: KafkaMessage[]) =>
    useCase.execute({ topic: 'herald.deliveries', partition: 0, messages });
  return { batch, calls };
}

describe('DispatchBatchUseCase', () => {
  it('commits the whole batch when every delivery finished', async () => {
    const { batch } = setup(async () => 'succeeded');
    await expect(batch([message(0, 'a'), message(1, 'b')])).resolves.toBeUndefined();
  });

  it('reads on past a hung attempt but never commits beyond it, and does not start it twice', async () => {
    let release!: () => void;
    const hung = new Promise((resolve) => (release = () => resolve('succeeded')));
    const { batch, calls } = setup((tag) => (tag === 'hung' ? hung : Promise.resolve('succeeded')));
    const started = Date.now();
    await expect(batch([message(0, 'ok'), message(1, 'hung'), message(2, 'ok2')])).resolves.toEqual({
      processedThrough: '2',
      commitBefore: '1',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    // Later batches go on; the commit floor stays at the hung record.
    await expect(batch([message(3, 'later')])).resolves.toEqual({ processedThrough: '3', commitBefore: '1' });
    // Seen again (e.g. after a seek): neither the done nor the in-flight record is sent twice.
    await batch([message(1, 'hung'), message(2, 'ok2'), message(3, 'later')]);
    expect(calls.filter((c) => c === 'hung')).toHaveLength(1);
    expect(calls.filter((c) => c === 'ok2')).toHaveLength(1);
    release();
    await hung;
    await new Promise((r) => setImmediate(r));
    await expect(batch([message(4, 'last')])).resolves.toBeUndefined();
  });

  it('re-reads from the first delivery whose results could not be written', async () => {
    let fail = true;
    const { batch, calls } = setup(async (tag) => {
      if (tag === 'b' && fail) throw new Error('broker unavailable');
      return 'succeeded';
    });
    const outcome = await batch([message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    expect(outcome).toMatchObject({ processedThrough: '0', commitBefore: '1', resumeAt: expect.any(Number) });
    fail = false;
    await expect(batch([message(1, 'b'), message(2, 'c')])).resolves.toBeUndefined();
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });
});
