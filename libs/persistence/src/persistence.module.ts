import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@herald/config';
import { ReadinessRegistry } from '@herald/telemetry';
import { databaseEnv, type DatabaseEnv } from './database.env';
import { createDataSource } from './data-source';
import { WorkspaceRepository } from './repositories/workspace.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { EndpointRepository } from './repositories/endpoint.repository';
import { DeliveryProjectionRepository } from './repositories/delivery-projection.repository';
import { DeliveryQueryRepository } from './repositories/delivery-query.repository';
import { JobRepository } from './repositories/job.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';

export const DATABASE_ENV = Symbol('DATABASE_ENV');

const REPOSITORIES = [
  WorkspaceRepository,
  ApiKeyRepository,
  EndpointRepository,
  DeliveryProjectionRepository,
  DeliveryQueryRepository,
  JobRepository,
  IdempotencyRepository,
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
            readiness.register('postgres', async () => {
              await db.query('SELECT 1');
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
