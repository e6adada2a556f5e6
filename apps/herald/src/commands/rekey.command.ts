import { Topics, type EndpointSnapshot } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import { createKafkaClient, HeraldProducer, kafkaEnv } from '@herald/kafka';
import {
  createDataSource,
  databaseEnv,
  EndpointEntity,
  SigningSecretEntity,
  toEndpointSnapshot,
} from '@herald/persistence';
import { secretCipherFromEnv } from '@herald/signing';

/** What re-keying needs from the signing lib's SecretCipher. */
export interface SecretResealer {
  decrypt(ciphertext: string): string;
  encrypt(plaintext: string): string;
  isCurrent(ciphertext: string): boolean;
}

export interface RekeyOptions {
  databaseUrl: string;
  databaseSsl?: boolean;
  cipher: SecretResealer;
  /** Publishes the endpoint's new snapshot; called inside its transaction, before commit. */
  publish(snapshot: EndpointSnapshot): Promise<void>;
}

export interface RekeyResult {
  endpoints: number;
  secrets: number;
}

/**
 * Re-encrypts every stored signing secret that is not sealed with the current master key, one endpoint
 * per transaction, and republishes each changed endpoint (version + 1) so routers and dispatchers hold
 * the new envelopes before the previous master key is removed from their configuration. Safe to re-run.
 */
export async function rekeySecrets(options: RekeyOptions): Promise<RekeyResult> {
  const db = createDataSource({
    DATABASE_URL: options.databaseUrl,
    DATABASE_SSL: options.databaseSsl,
    applicationName: 'herald-rekey',
  });
  await db.initialize();
  const result: RekeyResult = { endpoints: 0, secrets: 0 };
  try {
    const stale: { endpoint_id: string }[] = await db.query(
      `SELECT DISTINCT endpoint_id FROM signing_secrets`,
    );
    for (const { endpoint_id: endpointId } of stale) {
      await db.transaction(async (manager) => {
        const endpoint = await manager
          .getRepository(EndpointEntity)
          .createQueryBuilder('e')
          .setLock('pessimistic_write')
          .where('e.id = :endpointId', { endpointId })
          .getOne();
        if (!endpoint) return;
        const secrets = await manager.getRepository(SigningSecretEntity).findBy({ endpointId });
        const changed = secrets.filter((secret) => !options.cipher.isCurrent(secret.ciphertext));
        if (changed.length === 0) return;
        for (const secret of changed)
          secret.ciphertext = options.cipher.encrypt(options.cipher.decrypt(secret.ciphertext));
        await manager.getRepository(SigningSecretEntity).save(changed);
        endpoint.version += 1;
        endpoint.updatedAt = new Date();
        await manager.getRepository(EndpointEntity).save(endpoint);
        await options.publish(toEndpointSnapshot(endpoint, secrets));
        result.endpoints += 1;
        result.secrets += changed.length;
      });
    }
    return result;
  } finally {
    await db.destroy();
  }
}

/** `herald rekey`: HERALD_MASTER_KEY is the new key, HERALD_PREVIOUS_MASTER_KEYS holds the old ones. */
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
    });
    process.stdout.write(`herald: ${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await producer.disconnect();
  }
}
