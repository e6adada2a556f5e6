import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EndpointSnapshot } from '@herald/contracts';
import { SecretCipher } from '@herald/signing';
import { HeraldApiClient, HeraldProcess, type TestEnvironment } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { rekeySecrets } from '../../apps/herald/src/commands/rekey.command';

/** Re-keying: every stored secret is re-sealed under a new master key, and Herald runs on the new key alone. */
describe('master key rotation (rekey)', () => {
  let pipeline: Pipeline;
  let env: TestEnvironment;
  /** Herald again after the rekey, on the new key alone; the pipeline's runs on the old one. */
  let relocatedHerald: HeraldProcess | undefined;
  const oldKey = Buffer.alloc(32, 7);
  const newKey = Buffer.alloc(32, 9);

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'rekey-e2e',
      migrate: true,
      heraldEnv: { HERALD_MASTER_KEY: oldKey.toString('base64') },
      services: ['api'],
    });
    ({ env } = pipeline);
  });

  afterAll(async () => {
    await relocatedHerald?.stop();
    await pipeline?.stop();
  });

  it('re-encrypts every secret, republishes snapshots, and the API reveals the same secrets under the new key', async () => {
    const { herald, admin } = pipeline;
    const { workspaceId, apiKey, client } = await admin.provisionWorkspace(
      `rekey-${randomUUID().slice(0, 6)}`,
    );
    const created = [];
    for (const path of ['/a', '/b']) {
      created.push(
        await client.createEndpoint(workspaceId, {
          url: `http://127.0.0.1:9${path}`,
          eventTypes: ['lead.*'],
        }),
      );
    }
    // One endpoint mid-rotation holds two secrets.
    const rotated = await client.call<{ secret: string }>(
      'POST',
      `/v1/workspaces/${workspaceId}/endpoints/${created[0].id}/secret/rotate`,
      { gracePeriod: '1h' },
    );
    await herald.stop();

    const published: EndpointSnapshot[] = [];
    const cipher = new SecretCipher(newKey, [oldKey]);
    const result = await rekeySecrets({
      databaseUrl: env.databaseUrl,
      cipher,
      publish: async (snapshot) => {
        published.push(snapshot);
      },
    });
    expect(result).toEqual({ endpoints: 2, secrets: 3, headers: 0, idempotencyRecords: 0 });
    expect(published.map((s) => s.version).sort()).toEqual([2, 3]);
    expect(published.flatMap((s) => s.secrets).every((s) => cipher.isCurrent(s.ciphertext))).toBe(true);

    const db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ ciphertext: string }>(`SELECT ciphertext FROM signing_secrets`);
    await db.end();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => cipher.isCurrent(r.ciphertext))).toBe(true);
    // Running it again finds nothing left to do.
    expect(
      await rekeySecrets({ databaseUrl: env.databaseUrl, cipher, publish: async () => undefined }),
    ).toEqual({
      endpoints: 0,
      secrets: 0,
      headers: 0,
      idempotencyRecords: 0,
    });

    relocatedHerald = await HeraldProcess.start({
      env: env.heraldEnv({ HERALD_MASTER_KEY: newKey.toString('base64'), HERALD_PREVIOUS_MASTER_KEYS: '' }),
      services: ['api'],
    });
    const relocated = new HeraldApiClient(relocatedHerald.apiUrl, apiKey);
    const first = await relocated.call<{ secret: string }>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${created[0].id}/secret`,
    );
    const second = await relocated.call<{ secret: string }>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${created[1].id}/secret`,
    );
    expect(first.secret).toBe(rotated.secret);
    expect(second.secret).toBe(created[1].secret);
  });
});
