import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { decodeEndpointCommand, Topics } from '@herald/contracts';
import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import { AutoDisableEndpointUseCase } from '../usecases/auto-disable-endpoint/auto-disable-endpoint.usecase';

/** How long a partition rests after a command failed to apply (Postgres or Kafka away) before it is read again. */
export const REAPPLY_AFTER_MS = 1_000;

/**
 * Reads `herald.endpoint-commands` (keyed by endpoint id, so one endpoint's commands come in order)
 * and applies each one; a record that is not a command is logged and skipped.
 */
@Controller()
export class EndpointCommandsConsumer {
  private readonly log = new Logger('EndpointCommands');

  constructor(@Inject(AutoDisableEndpointUseCase) private readonly autoDisable: AutoDisableEndpointUseCase) {}

  @EventPattern(Topics.endpointCommands)
  async handle(batch: IncomingBatch): Promise<BatchOutcome> {
    let done: string | null = null;
    for (const message of batch.messages) {
      const decoded = decodeEndpointCommand(message.value);
      if (!decoded.ok) {
        this.log.warn(`skipping ${batch.topic}:${batch.partition}@${message.offset}: ${decoded.reason}`);
        done = message.offset;
        continue;
      }
      try {
        const outcome = await this.autoDisable.execute(decoded.command);
        if (!outcome.apply) {
          this.log.log(`auto-disable of ${decoded.command.endpointId} not applied: ${outcome.skipped}`);
        }
      } catch (error) {
        this.log.warn(
          `applying ${batch.topic}:${batch.partition}@${message.offset} failed, read again: ${(error as Error).message}`,
        );
        return { processedThrough: done, resumeAt: Date.now() + REAPPLY_AFTER_MS };
      }
      done = message.offset;
    }
    return undefined;
  }
}
