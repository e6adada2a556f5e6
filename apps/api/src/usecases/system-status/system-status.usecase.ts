import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Topics } from '@herald/contracts';
import { KAFKA_CLIENT, readClusterSnapshot, type ClusterSnapshot } from '@herald/kafka';
import { HERALD_CONSUMER_GROUPS, toSystemView, type SystemView } from './system-status.policy';

/** A down broker can keep kafkajs retrying for long; the operator page answers within this. */
const CHECK_TIMEOUT_MS = 5_000;
const DEAD_LETTER_TOPICS = [Topics.deliveriesDead, Topics.eventsInvalid];

/** GET /v1/system: what the API can see of Herald, through one reused Kafka admin connection. */
@Injectable()
export class SystemStatusUseCase implements OnApplicationShutdown {
  private admin?: Promise<Admin>;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async execute(): Promise<SystemView> {
    const [postgres, kafka] = await Promise.all([this.checkPostgres(), this.readKafka()]);
    return toSystemView({
      postgres,
      kafka,
      groups: HERALD_CONSUMER_GROUPS,
      deadLetterTopics: DEAD_LETTER_TOPICS,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  private async checkPostgres(): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      await withTimeout(this.db.query('SELECT 1'));
      return { ok: true };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  private async readKafka(): Promise<{ ok: true; snapshot: ClusterSnapshot } | { ok: false; error: string }> {
    try {
      const admin = await withTimeout(this.connectedAdmin());
      const groups = HERALD_CONSUMER_GROUPS.map((g) => g.group);
      return {
        ok: true,
        snapshot: await withTimeout(readClusterSnapshot(admin, groups, DEAD_LETTER_TOPICS)),
      };
    } catch (error) {
      // Connect afresh next time rather than reuse a connection in an unknown state.
      await this.onApplicationShutdown();
      return { ok: false, error: (error as Error).message };
    }
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
