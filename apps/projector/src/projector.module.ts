import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@herald/kafka';
import { PersistenceModule } from '@herald/persistence';
import { ObservabilityModule } from '@herald/telemetry';
import { loadConfig } from '@herald/config';
import { retentionEnv, retentionSettingsFromEnv } from '@herald/retention';
import {
  PROJECTOR_ENV,
  PROJECTOR_GROUP,
  PROJECTOR_RETENTION,
  PROJECTOR_WRITE_LIMITS,
  projectorEnv,
  type ProjectorEnv,
} from './projector.env';
import { LogMaintenanceRunner } from './log-maintenance.runner';
import { ProjectorController } from './projector.controller';
import { ProjectRecordsUseCase } from './usecases/project-records/project-records.usecase';

@Module({})
export class ProjectorModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        ObservabilityModule.forService({ service: 'projector', httpEndpoints: options.httpEndpoints }),
        KafkaModule.forService('projector'),
        PersistenceModule.forService('projector'),
      ],
      controllers: [ProjectorController],
      providers: [
        ProjectRecordsUseCase,
        LogMaintenanceRunner,
        {
          provide: PROJECTOR_RETENTION,
          useFactory: () => retentionSettingsFromEnv(loadConfig(retentionEnv)),
        },
        { provide: PROJECTOR_ENV, useFactory: () => loadConfig(projectorEnv) },
        {
          provide: PROJECTOR_WRITE_LIMITS,
          useFactory: (env: ProjectorEnv) => ({ maxRowsPerWrite: env.HERALD_PROJECTOR_MAX_ROWS_PER_WRITE }),
          inject: [PROJECTOR_ENV],
        },
        {
          provide: PROJECTOR_GROUP,
          useFactory: (env: ProjectorEnv) => env.HERALD_PROJECTOR_GROUP,
          inject: [PROJECTOR_ENV],
        },
      ],
    };
  }
}
