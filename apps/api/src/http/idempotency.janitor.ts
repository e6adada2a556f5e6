import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IdempotencyRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../api.env';

const SWEEP_EVERY_MS = 10 * 60_000;

/** Deletes stored Idempotency-Key responses once they can no longer be replayed. */
@Injectable()
export class IdempotencyJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(IdempotencyJanitor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(IdempotencyRepository) private readonly records: IdempotencyRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async sweep(): Promise<void> {
    try {
      await this.records.deleteOlderThan(new Date(Date.now() - this.env.HERALD_IDEMPOTENCY_TTL));
    } catch (error) {
      this.log.warn(`idempotency sweep failed: ${(error as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
