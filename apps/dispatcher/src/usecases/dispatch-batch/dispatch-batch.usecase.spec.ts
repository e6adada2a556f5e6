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

function setup(
  behaviour: (tag: string, command: { onDispatched?: () => void }) => Promise<unknown>,
  commit: (offset: string) => Promise<boolean> = async () => true,
) {
  const env = loadConfig(dispatcherEnv, { HERALD_DISPATCH_BATCH_HOLD: '50ms' });
  const calls: string[] = [];
  const commits: string[] = [];
  const rewinds: string[] = [];
  const dispatch = {
    execute: jest.fn(async (command: { value: Buffer; onDispatched?: () => void }) => {
      const tag = command.value.toString();
      calls.push(tag);
      return behaviour(tag, command);
    }),
  };
  const useCase = new DispatchBatchUseCase(
    env,
    new PartitionProgress(),
    dispatch as unknown as DispatchDeliveryUseCase,
    // Every endpoint is current here; catch-up has its own spec.
    { catchUpFor: async () => true },
  );
  const batch = (messages: KafkaMessage[]) =>
    useCase.execute({
      topic: 'herald.deliveries',
      partition: 0,
      messages,
      commitLater: async (offset) => {
        commits.push(offset);
        return commit(offset);
      },
      rewindLater: (offset) => void rewinds.push(offset),
    });
  return { batch, calls, commits, rewinds };
}

describe('DispatchBatchUseCase', () => {
  it('commits the whole batch when every delivery finished', async () => {
    const { batch } = setup(async () => 'succeeded');
    await expect(batch([message(0, 'a'), message(1, 'b')])).resolves.toBeUndefined();
  });

  it('reads on once every delivery holds a slot, and commits from the background as attempts finish', async () => {
    const releases: Array<() => void> = [];
    const { batch, commits } = setup(
      (_tag, command) =>
        new Promise((resolve) => {
          command.onDispatched?.();
          releases.push(() => resolve('succeeded'));
        }),
    );
    const started = Date.now();
    await expect(batch([message(0, 'a'), message(1, 'b')])).resolves.toEqual({
      processedThrough: '1',
      commitBefore: '0',
    });
    // Returned on dispatch, well before the 50 ms hold.
    expect(Date.now() - started).toBeLessThan(40);
    releases.forEach((release) => release());
    await new Promise((r) => setTimeout(r, 700));
    expect(commits).toEqual(['2']);
  });

  it('reads on past a hung attempt but never commits beyond it, and does not start it twice', async () => {
    let release!: () => void;
    const hung = new Promise((resolve) => (release = () => resolve('succeeded')));
    const { batch, calls, commits } = setup((tag) => (tag === 'hung' ? hung : Promise.resolve('succeeded')));
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
    await new Promise((r) => setTimeout(r, 600));
    expect(commits.every((offset) => offset === '1')).toBe(true);
    release();
    await hung;
    await new Promise((r) => setTimeout(r, 600));
    expect(commits[commits.length - 1]).toBe('4');
    await expect(batch([message(4, 'last')])).resolves.toBeUndefined();
  });

  it('re-reads from the first delivery whose results could not be written', async () => {
    let fail = true;
    const { batch, calls } = setup(async (tag) => {
      if (tag === 'b' && fail) throw new Error('broker unavailable');
      return 'succeeded';
    });
    const outcome = await batch([message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    expect(outcome).toMatchObject({ rewindTo: '1', commitBefore: '1', resumeAt: expect.any(Number) });
    fail = false;
    await expect(batch([message(1, 'b'), message(2, 'c')])).resolves.toBeUndefined();
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('rewinds to a delivery that failed in the background after its batch returned', async () => {
    let failLater!: () => void;
    const { batch, calls } = setup((tag, command) => {
      if (tag !== 'slow') return Promise.resolve('succeeded');
      command.onDispatched?.();
      return new Promise((_resolve, reject) => (failLater = () => reject(new Error('produce failed'))));
    });
    await expect(batch([message(0, 'slow'), message(1, 'b')])).resolves.toEqual({
      processedThrough: '1',
      commitBefore: '0',
    });
    failLater();
    await new Promise((r) => setImmediate(r));
    // The next batch of the partition first goes back to the failed record.
    await expect(batch([message(2, 'c')])).resolves.toMatchObject({ rewindTo: '0', commitBefore: '0' });
    expect(calls).not.toContain('c');
  });

  it('rewinds an idle partition itself when a delivery fails after its batch returned', async () => {
    let failLater!: () => void;
    const { batch, rewinds } = setup((_tag, command) => {
      command.onDispatched?.();
      return new Promise((_resolve, reject) => (failLater = () => reject(new Error('produce failed'))));
    });
    await batch([message(5, 'slow')]);
    failLater();
    await new Promise((r) => setTimeout(r, 1_300));
    expect(rewinds).toEqual(['5']);
  });

  it('still knows finished offsets after a refused background commit, so a re-read sends none again', async () => {
    let release!: () => void;
    let refused!: () => void;
    const refusal = new Promise<void>((resolve) => (refused = resolve));
    const { batch, calls } = setup(
      (_tag, command) =>
        new Promise((resolve) => {
          command.onDispatched?.();
          release = () => resolve('succeeded');
        }),
      async () => {
        refused();
        return false;
      },
    );
    await batch([message(0, 'a')]);
    release();
    await refusal;
    // The rejoined member reads the partition again from its last commit, below the delivery.
    await expect(batch([message(0, 'a')])).resolves.toBeUndefined();
    expect(calls).toEqual(['a']);
  });
});
