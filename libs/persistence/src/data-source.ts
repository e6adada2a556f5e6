import { DataSource } from 'typeorm';
import type { DatabaseEnv } from './database.env';
import { WorkspaceEntity } from './entities/workspace.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { EndpointEntity } from './entities/endpoint.entity';
import { SigningSecretEntity } from './entities/signing-secret.entity';
import { DeliveryEntity } from './entities/delivery.entity';
import { AttemptEntity } from './entities/attempt.entity';
import { OperationalEventEntity } from './entities/operational-event.entity';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
import { JobEntity } from './entities/job.entity';
import { InitialSchema1763830000000 } from './migrations/1763830000000-initial-schema.migration';
import { JobLimits1764600000000 } from './migrations/1764600000000-job-limits.migration';
import { SealedHeaders1764700000000 } from './migrations/1764700000000-sealed-headers.migration';
import { WorkspaceEgressAllowlist1764710000000 } from './migrations/1764710000000-workspace-egress-allowlist.migration';
import { EndpointEventVersion1764800000000 } from './migrations/1764800000000-endpoint-event-version.migration';
import { EndpointLine1764810000000 } from './migrations/1764810000000-endpoint-line.migration';
import { EndpointProductProfile1764820000000 } from './migrations/1764820000000-endpoint-product-profile.migration';
import { PayloadRemoval1764840000000 } from './migrations/1764840000000-payload-removal.migration';
import { PartitionedDeliveryLog1764850000000 } from './migrations/1764850000000-partitioned-delivery-log.migration';
import { WorkspaceRetention1764860000000 } from './migrations/1764860000000-workspace-retention.migration';
import { PortalLinkEntity } from './entities/portal-link.entity';
import { AttemptsHealthIndex1764870000000 } from './migrations/1764870000000-attempts-health-index.migration';
import { PortalLinks1764870100000 } from './migrations/1764870100000-portal-links.migration';
import { LogIdCollation1764890000000 } from './migrations/1764890000000-log-id-collation.migration';
import { ReadTimeDeliveryStatus1764900000000 } from './migrations/1764900000000-read-time-delivery-status.migration';

export const ENTITIES = [
  WorkspaceEntity,
  ApiKeyEntity,
  EndpointEntity,
  SigningSecretEntity,
  DeliveryEntity,
  AttemptEntity,
  OperationalEventEntity,
  IdempotencyRecordEntity,
  JobEntity,
  PortalLinkEntity,
];

/** Every migration, in order. The schema is only ever changed by these, never by synchronize. */
export const MIGRATIONS = [
  InitialSchema1763830000000,
  JobLimits1764600000000,
  SealedHeaders1764700000000,
  WorkspaceEgressAllowlist1764710000000,
  EndpointEventVersion1764800000000,
  EndpointLine1764810000000,
  EndpointProductProfile1764820000000,
  PayloadRemoval1764840000000,
  PartitionedDeliveryLog1764850000000,
  WorkspaceRetention1764860000000,
  AttemptsHealthIndex1764870000000,
  PortalLinks1764870100000,
  LogIdCollation1764890000000,
  ReadTimeDeliveryStatus1764900000000,
];

export type DataSourceSettings = Pick<DatabaseEnv, 'DATABASE_URL'> &
  Partial<Omit<DatabaseEnv, 'DATABASE_URL'>> & { applicationName?: string };

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.DATABASE_URL,
    ssl: settings.DATABASE_SSL ? { rejectUnauthorized: true } : false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'herald_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: settings.applicationName ?? 'herald',
    extra: {
      max: settings.DATABASE_POOL_SIZE ?? 10,
      statement_timeout: settings.DATABASE_STATEMENT_TIMEOUT_MS ?? 30_000,
    },
  });
}
