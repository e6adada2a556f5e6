import { DomainError, ErrorCode } from '@herald/contracts';
import type { DeliveryEntity, DeliveryQueryRepository } from '@herald/persistence';
import type { DeliveryRequestProducer } from './delivery-request.producer';
import { RetryDeliveryUseCase } from './retry-delivery.usecase';

function useCase(delivery: Partial<DeliveryEntity>) {
  const sent: unknown[] = [];
  const deliveries = { find: () => Promise.resolve(delivery as DeliveryEntity) };
  const requests = {
    toRequest: (d: DeliveryEntity) => ({ deliveryId: d.deliveryId, attempt: d.attemptCount + 1 }),
    send: (r: unknown[]) => Promise.resolve(void sent.push(...r)),
  };
  return {
    sent,
    retry: new RetryDeliveryUseCase(
      deliveries as unknown as DeliveryQueryRepository,
      requests as unknown as DeliveryRequestProducer,
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

  it('retries a real delivery', async () => {
    const { retry, sent } = useCase({ deliveryId: 'd', trigger: 'event', payload: '{}', attemptCount: 5 });
    await expect(retry.execute({ workspaceId: 'ws', deliveryId: 'd' })).resolves.toEqual({
      deliveryId: 'd',
      attempt: 6,
    });
    expect(sent).toHaveLength(1);
  });
});
