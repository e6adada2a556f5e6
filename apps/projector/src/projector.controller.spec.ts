import type { IncomingBatch } from '@herald/kafka';
import { ProjectorController, REPROJECT_AFTER_MS } from './projector.controller';
import type { ProjectRecordsUseCase } from './usecases/project-records/project-records.usecase';

function batchOf(offsets: string[]): IncomingBatch {
  return {
    topic: 'herald.attempts',
    partition: 2,
    messages: offsets.map((offset) => ({
      offset,
      key: null,
      value: Buffer.from('{}'),
      timestamp: '0',
      attributes: 0,
      headers: {},
    })),
    highWatermark: '100',
    heartbeat: async () => undefined,
    isRunning: () => true,
    commitLater: async () => true,
    rewindLater: () => undefined,
  } as IncomingBatch;
}

function controllerWith(execute: ProjectRecordsUseCase['execute']): ProjectorController {
  return new ProjectorController({ execute } as ProjectRecordsUseCase, 'herald-projector');
}

describe('ProjectorController', () => {
  it('writes a batch in one call and lets every offset be committed', async () => {
    const calls: { topic: string; partition: number; records: unknown[] }[] = [];
    const controller = controllerWith(async (command) => {
      calls.push(command);
    });
    await expect(controller.handle(batchOf(['7', '8', '9']))).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ topic: 'herald.attempts', partition: 2 });
    expect(calls[0].records).toHaveLength(3);
  });

  it('reads the whole batch again, later, when the write fails', async () => {
    const controller = controllerWith(async () => {
      throw new Error('terminating connection due to administrator command');
    });
    const before = Date.now();
    const outcome = await controller.handle(batchOf(['7', '8', '9']));
    expect(outcome).toMatchObject({ processedThrough: null, rewindTo: '7' });
    expect((outcome as { resumeAt: number }).resumeAt).toBeGreaterThanOrEqual(before + REPROJECT_AFTER_MS);
  });
});
