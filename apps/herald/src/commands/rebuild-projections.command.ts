import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { createKafkaClient, kafkaEnv } from '@herald/kafka';
import {
  createDataSource,
  databaseEnv,
  DeliveryProjectionRepository,
  EndpointRepository,
} from '@herald/persistence';
import { DEFAULT_MAX_ROWS_PER_WRITE } from '../../../projector/src/projector.env';
import { REBUILT_TOPICS } from '../../../projector/src/projector.topics';
import { ProjectRecordsUseCase } from '../../../projector/src/usecases/project-records/project-records.usecase';

export interface RebuildOptions {
  databaseUrl: string;
  databaseSsl?: boolean;
  kafka: Kafka;
  /** Give up if the replay has not reached the captured high watermarks by then. */
  timeoutMs?: number;
}

export interface RebuildResult {
  records: number;
  topics: string[];
}

/**
 * Rebuilds the delivery projections from Kafka: captures each topic's high watermarks, truncates the
 * projection tables, and replays the topics from the beginning with a fresh consumer group up to those
 * watermarks through the same use case the live projector runs. Because every write is an
 * order-independent upsert, the result equals the live projection at those offsets; a projector
 * running meanwhile only re-applies records the rebuild also applies.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const log = new Logger('RebuildProjections');
  const db = createDataSource({
    DATABASE_URL: options.databaseUrl,
    DATABASE_SSL: options.databaseSsl,
    applicationName: 'herald-rebuild',
  });
  await db.initialize();
  const groupId = `herald-projector-rebuild-${randomUUID()}`;
  const consumer = options.kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  try {
    const deliveries = new DeliveryProjectionRepository(db);
    const project = new ProjectRecordsUseCase(deliveries, new EndpointRepository(db), {
      maxRowsPerWrite: DEFAULT_MAX_ROWS_PER_WRITE,
    });
    const pending = new Map<string, bigint>();
    const admin = options.kafka.admin();
    await admin.connect();
    try {
      for (const topic of REBUILT_TOPICS) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          if (BigInt(high) > BigInt(low)) pending.set(`${topic}:${partition}`, BigInt(high) - 1n);
        }
      }
    } finally {
      await admin.disconnect();
    }
    await deliveries.truncate();
    log.log(`replaying ${pending.size} partition(s) of ${REBUILT_TOPICS.join(', ')}`);
    let records = 0;
    if (pending.size > 0) {
      let finish!: (error?: Error) => void;
      const done = new Promise<void>((resolve, reject) => (finish = (e) => (e ? reject(e) : resolve())));
      const timer = setTimeout(
        () =>
          finish(
            new Error(`rebuild did not reach the high watermarks within ${options.timeoutMs ?? 600_000} ms`),
          ),
        options.timeoutMs ?? 600_000,
      );
      await consumer.connect();
      await consumer.subscribe({ topics: [...REBUILT_TOPICS], fromBeginning: true });
      consumer.on(consumer.events.CRASH, (event) => finish(new Error(String(event.payload.error))));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const key = `${batch.topic}:${batch.partition}`;
          const last = pending.get(key);
          if (last === undefined) return;
          const inRange = batch.messages.filter((m) => BigInt(m.offset) <= last);
          await project.execute({ topic: batch.topic, partition: batch.partition, records: inRange });
          records += inRange.length;
          await heartbeat();
          if (inRange.length > 0 && BigInt(inRange[inRange.length - 1].offset) >= last) {
            pending.delete(key);
            consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
            if (pending.size === 0) finish();
          }
        },
      });
      try {
        await done;
      } finally {
        clearTimeout(timer);
      }
    }
    return { records, topics: [...REBUILT_TOPICS] };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await deleteGroup(options.kafka, groupId);
    await db.destroy();
  }
}

/** `herald rebuild-projections`, configured like the services (DATABASE_URL, KAFKA_BROKERS, ...). */
export async function rebuildProjectionsCommand(
  env: NodeJS.ProcessEnv = process.env,
): Promise<RebuildResult> {
  const database = loadConfig(databaseEnv, env);
  const result = await rebuildProjections({
    databaseUrl: database.DATABASE_URL,
    databaseSsl: database.DATABASE_SSL,
    kafka: createKafkaClient(loadConfig(kafkaEnv, env), 'rebuild'),
  });
  process.stdout.write(
    `herald: projections rebuilt from ${result.records} record(s) of ${result.topics.join(', ')}\n`,
  );
  return result;
}

/** The rebuild's group never commits; removing it keeps the cluster's group list clean. */
async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // an empty group expires on its own
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
