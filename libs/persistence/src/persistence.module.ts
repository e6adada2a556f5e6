import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@herald/config';
import { ReadinessRegistry } from '@herald/telemetry';
import { databaseEnv, type DatabaseEnv } from './database.env';
import { createDataSource, MIGRATIONS } from './data-source';
import { WorkspaceRepository } from './repositories/workspace.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { EndpointRepository } from './repositories/endpoint.repository';
import { DeliveryProjectionRepository } from './repositories/delivery-projection.repository';
import { DeliveryQueryRepository } from './repositories/delivery-query.repository';
import { JobRepository } from './repositories/job.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { PayloadPurgeRepository } from './repositories/payload-purge.repository';
import { LogPartitionsRepository } from './repositories/log-partitions.repository';
import { LogMaintenance } from './log-maintenance';
import { EndpointHealthRepository } from './repositories/endpoint-health.repository';
import { PortalLinkRepository } from './repositories/portal-link.repository';

export const DATABASE_ENV = Symbol('DATABASE_ENV');

const REPOSITORIES = [
  WorkspaceRepository,
  ApiKeyRepository,
  EndpointRepository,
  DeliveryProjectionRepository,
  DeliveryQueryRepository,
  JobRepository,
  IdempotencyRepository,
  PayloadPurgeRepository,
  LogPartitionsRepository,
  LogMaintenance,
  EndpointHealthRepository,
  PortalLinkRepository,
];

class DataSourceLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}

/** One Postgres pool per service, its repositories, and a readiness check. Never synchronizes the schema. */
@Module({})
export class PersistenceModule {
  static forService(service: string): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DATABASE_ENV, useFactory: () => loadConfig(databaseEnv) },
        {
          provide: DataSource,
          inject: [DATABASE_ENV, ReadinessRegistry],
          useFactory: async (env: DatabaseEnv, readiness: ReadinessRegistry) => {
            const db = createDataSource({ ...env, applicationName: `herald-${service}` });
            await db.initialize();
            let schemaCurrent = false;
            readiness.register('postgres', async () => {
              await db.query('SELECT 1');
              // Not ready until every migration is applied; once it is, a plain ping suffices.
              if (!schemaCurrent) {
                const pending = await pendingMigrations(db);
                if (pending.length > 0)
                  throw new Error(`migrations pending (${pending.join(', ')}): run herald migrate`);
                schemaCurrent = true;
              }
            });
            return db;
          },
        },
        DataSourceLifecycle,
        ...REPOSITORIES,
      ],
      exports: [DATABASE_ENV, DataSource, ...REPOSITORIES],
    };
  }
}

/** Names of migrations not yet applied; read-only, unlike TypeORM's showMigrations. */
export async function pendingMigrations(db: DataSource): Promise<string[]> {
  let applied: { name: string }[] = [];
  try {
    applied = await db.query(`SELECT name FROM herald_migrations`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error;
  }
  const names = new Set(applied.map((row) => row.name));
  return MIGRATIONS.map((migration) => migration.name).filter((name) => !names.has(name));
}
