import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@herald/kafka';
import { PersistenceModule } from '@herald/persistence';
import { ObservabilityModule } from '@herald/telemetry';
import { loadConfig } from '@herald/config';
import { PROJECTOR_GROUP, projectorEnv } from './projector.env';
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
        { provide: PROJECTOR_GROUP, useFactory: () => loadConfig(projectorEnv).HERALD_PROJECTOR_GROUP },
      ],
    };
  }
}
