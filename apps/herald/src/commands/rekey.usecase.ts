import type { DataSource, EntityManager } from 'typeorm';
import type { EndpointSnapshot } from '@herald/contracts';
import {
  createDataSource,
  EndpointEntity,
  SigningSecretEntity,
  toEndpointSnapshot,
  WorkspaceEntity,
} from '@herald/persistence';

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
  /** Called after every PROGRESS_EVERY rows checked and at the end of each table. */
  onProgress?(progress: RekeyProgress): void;
}

export interface RekeyResult {
  /** Endpoints changed (re-sealed values, version + 1, snapshot republished). */
  endpoints: number;
  /** Signing secrets re-sealed, grace-period previous secrets included. */
  secrets: number;
  /** Custom header values re-sealed, or sealed for the first time (saved in clear before sealing). */
  headers: number;
  /** Stored Idempotency-Key responses re-sealed. */
  idempotencyRecords: number;
}

export interface RekeyProgress extends RekeyResult {
  table: 'endpoints' | 'idempotency_records';
  checked: number;
  total: number;
}

const PROGRESS_EVERY = 100;
const PAGE = 500;

/**
 * Re-seals every value sealed under a master key other than the current one: signing secrets (the
 * previous ones of a rotation too), custom header values (sealing the clear ones saved before header
 * sealing existed) and stored Idempotency-Key responses (a create's holds the signing secret). Each
 * changed endpoint is updated in its own transaction with version + 1 and its snapshot republished
 * before commit, so routers and dispatchers hold the new envelopes before the previous key is removed
 * from their configuration. Safe to re-run: a second run finds nothing to do.
 */
export async function rekeySecrets(options: RekeyOptions): Promise<RekeyResult> {
  const db = createDataSource({
    DATABASE_URL: options.databaseUrl,
    DATABASE_SSL: options.databaseSsl,
    applicationName: 'herald-rekey',
  });
  await db.initialize();
  const result: RekeyResult = { endpoints: 0, secrets: 0, headers: 0, idempotencyRecords: 0 };
  try {
    await rekeyEndpoints(db, options, result);
    await rekeyIdempotencyRecords(db, options, result);
    return result;
  } finally {
    await db.destroy();
  }
}

async function rekeyEndpoints(db: DataSource, options: RekeyOptions, result: RekeyResult): Promise<void> {
  const ids: { id: string }[] = await db.query(`SELECT id FROM endpoints ORDER BY id`);
  let checked = 0;
  for (const { id } of ids) {
    await db.transaction((manager) => rekeyEndpoint(manager, id, options, result));
    checked += 1;
    if (checked % PROGRESS_EVERY === 0 || checked === ids.length)
      options.onProgress?.({ ...result, table: 'endpoints', checked, total: ids.length });
  }
}

async function rekeyEndpoint(
  manager: EntityManager,
  endpointId: string,
  options: RekeyOptions,
  result: RekeyResult,
): Promise<void> {
  const { cipher } = options;
  const endpoint = await manager
    .getRepository(EndpointEntity)
    .createQueryBuilder('e')
    .setLock('pessimistic_write')
    .where('e.id = :endpointId', { endpointId })
    .getOne();
  if (!endpoint) return;
  const secrets = await manager.getRepository(SigningSecretEntity).findBy({ endpointId });
  const staleSecrets = secrets.filter((secret) => !cipher.isCurrent(secret.ciphertext));
  const staleHeaders = Object.entries(endpoint.sealedHeaders).filter(
    ([, sealed]) => !cipher.isCurrent(sealed),
  );
  const clearHeaders = Object.entries(endpoint.legacyHeaders);
  if (staleSecrets.length + staleHeaders.length + clearHeaders.length === 0) return;

  for (const secret of staleSecrets) secret.ciphertext = cipher.encrypt(cipher.decrypt(secret.ciphertext));
  await manager.getRepository(SigningSecretEntity).save(staleSecrets);
  const sealed = { ...endpoint.sealedHeaders };
  for (const [name, envelope] of staleHeaders) sealed[name] = cipher.encrypt(cipher.decrypt(envelope));
  // As openHeaders: a sealed value wins over a clear one of the same name.
  for (const [name, value] of clearHeaders) if (!(name in sealed)) sealed[name] = cipher.encrypt(value);
  endpoint.sealedHeaders = sealed;
  endpoint.legacyHeaders = {};
  endpoint.version += 1;
  endpoint.updatedAt = new Date();
  await manager.getRepository(EndpointEntity).save(endpoint);
  // The snapshot carries the workspace's egress allowlist; republishing without it would close it.
  const workspace = await manager.getRepository(WorkspaceEntity).findOneBy({ id: endpoint.workspaceId });
  await options.publish(toEndpointSnapshot(endpoint, secrets, workspace?.egressAllowCidrs ?? []));
  result.endpoints += 1;
  result.secrets += staleSecrets.length;
  result.headers += staleHeaders.length + clearHeaders.length;
}

/** Stored responses are `{ sealed: envelope }` (IdempotencyInterceptor); each is swapped compare-and-set. */
async function rekeyIdempotencyRecords(
  db: DataSource,
  options: RekeyOptions,
  result: RekeyResult,
): Promise<void> {
  const [{ total }]: { total: number }[] = await db.query(
    `SELECT count(*)::int AS total FROM idempotency_records WHERE response ? 'sealed'`,
  );
  let checked = 0;
  let after = { scope: '', key: '' };
  for (;;) {
    const rows: { scope: string; key: string; sealed: string }[] = await db.query(
      `SELECT scope, key, response->>'sealed' AS sealed FROM idempotency_records
       WHERE response ? 'sealed' AND (scope, key) > ($1, $2) ORDER BY scope, key LIMIT ${PAGE}`,
      [after.scope, after.key],
    );
    for (const row of rows) {
      checked += 1;
      if (!options.cipher.isCurrent(row.sealed)) {
        const resealed = options.cipher.encrypt(options.cipher.decrypt(row.sealed));
        const [, count]: [unknown[], number] = await db.query(
          `UPDATE idempotency_records SET response = jsonb_build_object('sealed', $3::text)
           WHERE scope = $1 AND key = $2 AND response->>'sealed' = $4`,
          [row.scope, row.key, resealed, row.sealed],
        );
        if (count === 1) result.idempotencyRecords += 1;
      }
      if (checked % PROGRESS_EVERY === 0)
        options.onProgress?.({ ...result, table: 'idempotency_records', checked, total });
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1];
  }
  options.onProgress?.({ ...result, table: 'idempotency_records', checked, total });
}
