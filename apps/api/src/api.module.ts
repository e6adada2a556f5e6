import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadConfig } from '@herald/config';
import { KafkaModule } from '@herald/kafka';
import { PersistenceModule } from '@herald/persistence';
import { ObservabilityModule } from '@herald/telemetry';
import { API_ENV, apiEnv } from './api.env';
import { HTTP_CONTROLLERS } from './api.controllers';
import { apiSettingsProvider } from './api.settings';
import { ApiKeyThrottlerGuard } from './auth/api-key-throttler.guard';
import { AuthGuard } from './auth/auth.guard';
import { PortalAccessChecker } from './auth/portal-access.checker';
import { EndpointCommandsConsumer } from './controllers/endpoint-commands.consumer';
import { EndpointSettingsPolicy } from './endpoints/endpoint-settings.policy';
import { EndpointSnapshotPublisher } from './endpoints/endpoint-snapshot.publisher';
import { secretCipherProvider } from './endpoints/secret-cipher.provider';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyJanitor } from './http/idempotency.janitor';
import { jobsProviders } from './jobs/jobs.providers';
import { AutoDisableEndpointUseCase } from './usecases/auto-disable-endpoint/auto-disable-endpoint.usecase';
import { BackfillEndpointUseCase } from './usecases/backfill-endpoint/backfill-endpoint.usecase';
import { CreateApiKeyUseCase } from './usecases/create-api-key/create-api-key.usecase';
import { CreateEndpointUseCase } from './usecases/create-endpoint/create-endpoint.usecase';
import { CreateWorkspaceUseCase } from './usecases/create-workspace/create-workspace.usecase';
import { DeleteEndpointUseCase } from './usecases/delete-endpoint/delete-endpoint.usecase';
import { GetDeliveryUseCase } from './usecases/get-delivery/get-delivery.usecase';
import { GetEndpointUseCase } from './usecases/get-endpoint/get-endpoint.usecase';
import { GetEgressAllowlistUseCase } from './usecases/egress-allowlist/get-egress-allowlist.usecase';
import { SetEgressAllowlistUseCase } from './usecases/egress-allowlist/set-egress-allowlist.usecase';
import { GetWorkspaceUseCase } from './usecases/get-workspace/get-workspace.usecase';
import { WorkspaceRetentionUseCase } from './usecases/workspace-retention/workspace-retention.usecase';
import { ListApiKeysUseCase } from './usecases/list-api-keys/list-api-keys.usecase';
import { ListEndpointsUseCase } from './usecases/list-endpoints/list-endpoints.usecase';
import { ListOperationalEventsUseCase } from './usecases/list-operational-events/list-operational-events.usecase';
import { RevokeApiKeyUseCase } from './usecases/revoke-api-key/revoke-api-key.usecase';
import { ListDeliveriesUseCase } from './usecases/list-deliveries/list-deliveries.usecase';
import { RegisterEndpointUseCase } from './usecases/register-endpoint/register-endpoint.usecase';
import { UnregisterEndpointUseCase } from './usecases/register-endpoint/unregister-endpoint.usecase';
import { RecoverEndpointUseCase } from './usecases/recover-endpoint/recover-endpoint.usecase';
import { PurgePayloadsUseCase } from './usecases/purge-payloads/purge-payloads.usecase';
import { DeliveryRequestProducer } from './usecases/retry-delivery/delivery-request.producer';
import { WorkspaceRetentionService } from './retention/workspace-retention.service';
import { RetryDeliveryUseCase } from './usecases/retry-delivery/retry-delivery.usecase';
import { RevealSecretUseCase } from './usecases/reveal-secret/reveal-secret.usecase';
import { RotateSecretUseCase } from './usecases/rotate-secret/rotate-secret.usecase';
import { SendTestEventUseCase } from './usecases/send-test-event/send-test-event.usecase';
import { testPingProviders } from './usecases/send-test-event/test-ping.providers';
import { UpdateEndpointUseCase } from './usecases/update-endpoint/update-endpoint.usecase';
import { ListWorkspacesUseCase } from './usecases/list-workspaces/list-workspaces.usecase';
import { SystemStatusUseCase } from './usecases/system-status/system-status.usecase';
import { PortalLinksUseCase } from './usecases/portal-links/portal-links.usecase';
import { EndpointHealthUseCase } from './usecases/endpoint-health/endpoint-health.usecase';

@Module({})
export class ApiModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ObservabilityModule.forService({ service: 'api', httpEndpoints: options.httpEndpoints }),
        KafkaModule.forService('api'),
        PersistenceModule.forService('api'),
      ],
      controllers: [...HTTP_CONTROLLERS, EndpointCommandsConsumer],
      providers: [
        { provide: API_ENV, useFactory: () => loadConfig(apiEnv) },
        apiSettingsProvider,
        secretCipherProvider,
        AuthGuard,
        PortalAccessChecker,
        ThrottlerStorageService,
        ApiKeyThrottlerGuard,
        IdempotencyInterceptor,
        IdempotencyJanitor,
        EndpointSettingsPolicy,
        EndpointSnapshotPublisher,
        DeliveryRequestProducer,
        WorkspaceRetentionService,
        ...testPingProviders,
        ...jobsProviders,
        CreateWorkspaceUseCase,
        CreateApiKeyUseCase,
        GetWorkspaceUseCase,
        WorkspaceRetentionUseCase,
        GetEgressAllowlistUseCase,
        SetEgressAllowlistUseCase,
        ListApiKeysUseCase,
        RevokeApiKeyUseCase,
        CreateEndpointUseCase,
        ListEndpointsUseCase,
        GetEndpointUseCase,
        UpdateEndpointUseCase,
        DeleteEndpointUseCase,
        RegisterEndpointUseCase,
        UnregisterEndpointUseCase,
        SendTestEventUseCase,
        RevealSecretUseCase,
        RotateSecretUseCase,
        ListDeliveriesUseCase,
        ListOperationalEventsUseCase,
        GetDeliveryUseCase,
        RetryDeliveryUseCase,
        RecoverEndpointUseCase,
        PurgePayloadsUseCase,
        AutoDisableEndpointUseCase,
        BackfillEndpointUseCase,
        EndpointHealthUseCase,
        PortalLinksUseCase,
        ListWorkspacesUseCase,
        SystemStatusUseCase,
      ],
    };
  }
}
