import { DomainError, ErrorCode } from '@herald/contracts';
import type { DeliveryQueryRepository, DeliveryWithPayload } from '@herald/persistence';
import type { WorkspaceRetentionService } from '../../retention/workspace-retention.service';
import type { DeliveryRequestProducer } from './delivery-request.producer';
import { RetryDeliveryUseCase } from './retry-delivery.usecase';

function useCase(delivery: Partial<DeliveryWithPayload>) {
  const sent: unknown[] = [];
  const deliveries = {
    find: () => Promise.resolve({ createdAt: new Date(), ...delivery } as DeliveryWithPayload),
  };
  const retention = {
    forWorkspace: () =>
      Promise.resolve({
        effective: { recordsDays: 30, bodiesDays: 7 },
        recordsSince: new Date(0),
        now: new Date(),
      }),
  };
  const requests = {
    toRequest: (d: DeliveryWithPayload) => ({ deliveryId: d.deliveryId, attempt: d.attemptCount + 1 }),
    send: (r: unknown[]) => Promise.resolve(void sent.push(...r)),
  };
  return {
    sent,
    retry: new RetryDeliveryUseCase(
      deliveries as unknown as DeliveryQueryRepository,
      requests as unknown as DeliveryRequestProducer,
      retention as unknown as WorkspaceRetentionService,
    ),
  };
}

describe('RetryDeliveryUseCase', () => {
  it('refuses a test ping with TEST_DELIVERY_NOT_RETRIABLE and asks no dispatcher for it', async () => {
    const { retry, sent } = useCase({ deliveryId: 'd', trigger: 'test', payload: '{}', attemptCount: 1 });
    const error = await retry.execute({ workspaceId: 'ws', deliveryId: 'd' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.TestDeliveryNotRetriable);
    expect(sent).toHaveLength(0);
  });

  it('refuses a purged delivery with 409 PAYLOAD_REMOVED naming the reason and sends nothing', async () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const { retry, sent } = useCase({
      deliveryId: 'd',
      trigger: 'event',
      payload: null,
      payloadRemovedAt: at,
      payloadRemovedReason: 'purged',
      attemptCount: 2,
    });
    const error = await retry.execute({ workspaceId: 'ws', deliveryId: 'd' }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe(ErrorCode.PayloadRemoved);
    expect((error as DomainError).details).toEqual({ reason: 'purged', at: at.toISOString() });
    expect(sent).toHaveLength(0);
  });

  it('refuses a delivery whose payload is past body retention with reason retention', async () => {
    const createdAt = new Date(Date.now() - 8 * 86_400_000);
    const { retry, sent } = useCase({
      deliveryId: 'd',
      trigger: 'event',
      payload: '{}',
      attemptCount: 1,
      createdAt,
    });
    const error = await retry.execute({ workspaceId: 'ws', deliveryId: 'd' }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe(ErrorCode.PayloadRemoved);
    expect((error as DomainError).details).toMatchObject({ reason: 'retention' });
    expect(sent).toHaveLength(0);
  });

  it('retries a real delivery', async () => {
    const { retry, sent } = useCase({ deliveryId: 'd', trigger: 'event', payload: '{}', attemptCount: 5 });
    await expect(retry.execute({ workspaceId: 'ws', deliveryId: 'd' })).resolves.toEqual({
      deliveryId: 'd',
      attempt: 6,
    });
    expect(sent).toHaveLength(1);
  });
});
