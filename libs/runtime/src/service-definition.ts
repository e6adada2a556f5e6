import type { INestApplication, Type } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';

export type ServiceName = 'api' | 'router' | 'dispatcher' | 'scheduler' | 'projector';
export const SERVICE_NAMES: readonly ServiceName[] = [
  'api',
  'router',
  'dispatcher',
  'scheduler',
  'projector',
];

/** How to boot one deployable service; each app's `<name>.service.ts` exports one. */
export interface ServiceDefinition {
  name: ServiceName;
  /** Root module; receives whether this app serves HTTP. */
  module: (options: { httpEndpoints: boolean }) => Type<unknown> | import('@nestjs/common').DynamicModule;
  /** Builds the Kafka consumer transport from the app's own providers. */
  transport?: (app: INestApplication) => CustomTransportStrategy;
  /** HTTP set-up beyond health and metrics (the API's pipes, prefix and OpenAPI). */
  configureHttp?: (app: INestApplication) => void | Promise<void>;
}
