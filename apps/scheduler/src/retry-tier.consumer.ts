import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import { RetryTiers } from './retry-tiers';
import { ForwardDueRetriesUseCase } from './usecases/forward-due-retries/forward-due-retries.usecase';

/** Transport pattern the scheduler's handler is registered under; the transport maps it to every tier topic. */
export const RETRY_TIERS_PATTERN = 'herald.retry-tiers';

/**
 * Kafka entry of the scheduler: one batch of one tier partition in, a commit point and a resume time
 * out. The handler never sleeps; a not-yet-due record pauses its partition until it is due.
 */
@Controller()
export class RetryTierConsumer {
  constructor(
    @Inject(RetryTiers) private readonly tiers: RetryTiers,
    @Inject(ForwardDueRetriesUseCase) private readonly forwardDueRetries: ForwardDueRetriesUseCase,
  ) {}

  @EventPattern(RETRY_TIERS_PATTERN)
  async onTierBatch(@Payload() batch: IncomingBatch): Promise<BatchOutcome> {
    const tier = this.tiers.forTopic(batch.topic);
    if (!tier) throw new Error(`${batch.topic} is not a configured retry tier`);
    const result = await this.forwardDueRetries.execute({
      topic: batch.topic,
      partition: batch.partition,
      tier,
      records: batch.messages.map((message) => ({
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
        timestamp: message.timestamp,
      })),
    });
    if (result.complete) return undefined;
    return { processedThrough: result.processedThrough, resumeAt: result.resumeAt };
  }
}
