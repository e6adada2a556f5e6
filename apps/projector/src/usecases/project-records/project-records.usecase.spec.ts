import { Topics } from '@herald/contracts';
import type { DeliveryProjectionRepository, EndpointRepository } from '@herald/persistence';
import { isStatementError, ProjectRecordsUseCase, type ProjectedRecord } from './project-records.usecase';

function setup() {
  const deliveries = {
    applyDeliveryRequests: jest.fn().mockResolvedValue(undefined),
    applyAttempts: jest.fn().mockResolvedValue(undefined),
    applyOperationalEvents: jest.fn().mockResolvedValue(undefined),
  };
  const endpoints = {
    applySnapshot: jest.fn().mockResolvedValue(true),
    applyTombstone: jest.fn().mockResolvedValue(undefined),
  };
  const usecase = new ProjectRecordsUseCase(
    deliveries as unknown as DeliveryProjectionRepository,
    endpoints as unknown as EndpointRepository,
    { maxRowsPerWrite: 5_000 },
  );
  return { deliveries, endpoints, usecase };
}

const record = (value: unknown, offset = '0', key: string | null = 'k'): ProjectedRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  offset,
});

const attempt = {
  kind: 'AttemptRecorded',
  attemptId: 'a',
  deliveryId: 'd',
  endpointId: 'e',
  attempt: 1,
  outcome: 'succeeded',
};
const delivery = { kind: 'DeliveryRequested', deliveryId: 'd', endpointId: 'e', payload: '{}', attempt: 1 };
const operational = {
  kind: 'OperationalEvent',
  type: 'endpoint.disabled',
  workspaceId: 'w',
  endpointId: 'e',
  deliveryId: null,
  reason: 'endpoint_gone',
  at: '2026-12-01T00:00:00.000Z',
};

describe('ProjectRecordsUseCase', () => {
  it('routes each topic to its projection and skips records its contract parser refuses', async () => {
    const { deliveries, usecase } = setup();
    await usecase.execute({
      topic: Topics.attempts,
      partition: 0,
      records: [
        record(attempt),
        record('not json', '1'),
        record({ kind: 'Other' }, '2'),
        record({ kind: 'AttemptRecorded', attemptId: 'b' }, '3'),
      ],
    });
    expect(deliveries.applyAttempts).toHaveBeenCalledWith([attempt]);

    await usecase.execute({
      topic: Topics.deliveries,
      partition: 1,
      records: [record(delivery), record({ kind: 'DeliveryRequested', deliveryId: 'x' }, '1')],
    });
    expect(deliveries.applyDeliveryRequests).toHaveBeenCalledWith([delivery]);

    await usecase.execute({
      topic: Topics.operational,
      partition: 2,
      records: [record(operational, '7'), record({ kind: 'OperationalEvent' }, '8')],
    });
    expect(deliveries.applyOperationalEvents).toHaveBeenCalledWith([
      { position: `${Topics.operational}:2:7`, event: operational },
    ]);
  });

  it('applies snapshots whose id matches their key, and tombstones', async () => {
    const { endpoints, usecase } = setup();
    await usecase.execute({
      topic: Topics.subscriptions,
      partition: 0,
      records: [
        record({ id: 'e1', version: 2 }, '0', 'e1'),
        record({ id: 'other', version: 2 }, '1', 'e1'),
        record(null, '2', 'e2'),
        record({ id: 'e3', version: 1 }, '3', null),
      ],
    });
    expect(endpoints.applySnapshot).toHaveBeenCalledTimes(1);
    expect(endpoints.applySnapshot).toHaveBeenCalledWith({ id: 'e1', version: 2 });
    expect(endpoints.applyTombstone).toHaveBeenCalledWith('e2');
  });

  it('runs a batch again after a deadlock, and gives up on other errors', async () => {
    const { deliveries, usecase } = setup();
    deliveries.applyAttempts
      .mockRejectedValueOnce(Object.assign(new Error('deadlock detected'), { code: '40P01' }))
      .mockResolvedValueOnce(undefined);
    await usecase.execute({
      topic: Topics.attempts,
      partition: 0,
      records: [record(attempt)],
    });
    expect(deliveries.applyAttempts).toHaveBeenCalledTimes(2);

    deliveries.applyAttempts.mockRejectedValueOnce(
      Object.assign(new Error('connection lost'), { code: '08006' }),
    );
    await expect(
      usecase.execute({
        topic: Topics.attempts,
        partition: 0,
        records: [record(attempt)],
      }),
    ).rejects.toThrow('connection lost');
  });

  it('writes the batches of partitions handed over together in one statement', async () => {
    const { deliveries, usecase } = setup();
    const other = { ...attempt, attemptId: 'b', deliveryId: 'd2' };
    await Promise.all([
      usecase.execute({ topic: Topics.attempts, partition: 0, records: [record(attempt)] }),
      usecase.execute({ topic: Topics.attempts, partition: 1, records: [record(other)] }),
    ]);
    expect(deliveries.applyAttempts).toHaveBeenCalledTimes(1);
    expect(deliveries.applyAttempts).toHaveBeenCalledWith([attempt, other]);
  });
});

describe('isStatementError', () => {
  it('splits a merged write on what one batch can cause, never on a failing connection', () => {
    for (const code of ['22P02', '23505', '40P01', '54000']) expect(isStatementError({ code })).toBe(true);
    for (const code of ['08006', '57P01', '53300', '58030', 'ECONNREFUSED', undefined])
      expect(isStatementError({ code })).toBe(false);
    expect(isStatementError(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
