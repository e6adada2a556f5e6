import { DeliveriesController } from './controllers/deliveries.controller';
import { EndpointHealthController } from './controllers/endpoint-health.controller';
import { EndpointsController } from './controllers/endpoints.controller';
import { EventTypesController } from './controllers/event-types.controller';
import { JobsController } from './controllers/jobs.controller';
import { PortalLinksController } from './controllers/portal-links.controller';
import { MeController } from './controllers/me.controller';
import { OperatorsController } from './controllers/operators.controller';
import { PurgesController } from './controllers/purges.controller';
import { RegistrationsController } from './controllers/registrations.controller';
import { WorkspacesController } from './controllers/workspaces.controller';

/**
 * The API's HTTP controllers, in registration order (EndpointHealthController before
 * EndpointsController, so `endpoints/health` is not read as an endpoint id). portal-access.policy.spec
 * walks every route of these.
 */
export const HTTP_CONTROLLERS = [
  WorkspacesController,
  EndpointHealthController,
  EndpointsController,
  RegistrationsController,
  DeliveriesController,
  EventTypesController,
  JobsController,
  PurgesController,
  MeController,
  PortalLinksController,
  OperatorsController,
];
