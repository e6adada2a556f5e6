import { Topics } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import { createKafkaClient, HeraldProducer, kafkaEnv } from '@herald/kafka';
import { databaseEnv } from '@herald/persistence';
import { secretCipherFromEnv } from '@herald/signing';
import { rekeySecrets, type RekeyResult } from './rekey.usecase';

export { rekeySecrets } from './rekey.usecase';
export type { RekeyOptions, RekeyProgress, RekeyResult, SecretResealer } from './rekey.usecase';

/**
 * `herald rekey`: HERALD_MASTER_KEY is the new key, HERALD_PREVIOUS_MASTER_KEYS holds the old ones.
 * Also seals header values saved in clear before header sealing existed, so run it once after that
 * upgrade even without a new key. Prints progress lines, then the counts.
 */
export async function rekeyCommand(env: NodeJS.ProcessEnv = process.env): Promise<RekeyResult> {
  const database = loadConfig(databaseEnv, env);
  const producer = new HeraldProducer(createKafkaClient(loadConfig(kafkaEnv, env), 'rekey'));
  try {
    const result = await rekeySecrets({
      databaseUrl: database.DATABASE_URL,
      databaseSsl: database.DATABASE_SSL,
      cipher: secretCipherFromEnv(env),
      publish: (snapshot) =>
        producer.send([{ topic: Topics.subscriptions, key: snapshot.id, value: JSON.stringify(snapshot) }]),
      onProgress: (p) =>
        process.stdout.write(
          `herald: rekey ${p.table} ${p.checked}/${p.total} checked; re-sealed so far: ` +
            `${p.secrets} secret(s), ${p.headers} header value(s) on ${p.endpoints} endpoint(s), ` +
            `${p.idempotencyRecords} idempotency record(s)\n`,
        ),
    });
    process.stdout.write(`herald: ${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await producer.disconnect();
  }
}
