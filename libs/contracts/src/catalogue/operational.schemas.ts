import { FAILING_THRESHOLDS } from '../events/operational.event';
import type { EventTypeDefinition } from './event-type.definition';
import { id, objectSchema, timestamp } from './schema-fragments';

/**
 * Herald's own events about a workspace's endpoints, delivered to the workspace's endpoints that
 * subscribe to them (never to the endpoint an event is about). Herald emits them; a product service
 * producing one of these types to a domain topic is refused (`reserved_type`).
 */
const endpointId = id;
const threshold = { type: 'integer', enum: [...FAILING_THRESHOLDS] };

export const OPERATIONAL_EVENT_DEFINITIONS: EventTypeDefinition[] = [
  {
    type: 'endpoint.failing',
    version: 1,
    description:
      'An endpoint has failed without a success for 50%, 70% or 90% of the auto-disable window (each level once per failing streak)',
    dataSchema: objectSchema(['endpointId', 'threshold', 'failingSince', 'disableAt'], {
      endpointId,
      threshold,
      failingSince: timestamp,
      disableAt: timestamp,
    }),
  },
  {
    type: 'endpoint.recovered',
    version: 1,
    description: 'An endpoint that had crossed at least the first failing level succeeded again',
    dataSchema: objectSchema(['endpointId', 'failingSince', 'threshold'], {
      endpointId,
      failingSince: timestamp,
      threshold,
    }),
  },
  {
    type: 'endpoint.disabled',
    version: 1,
    description:
      'An endpoint was disabled: it answered 410 Gone, failed for the whole auto-disable window, or was disabled through the API',
    dataSchema: objectSchema(['endpointId', 'cause'], {
      endpointId,
      cause: { type: 'string', enum: ['endpoint_gone', 'endpoint_failing', 'manual'] },
      deliveryId: { type: ['string', 'null'] },
    }),
  },
  {
    type: 'endpoint.enabled',
    version: 1,
    description: 'A disabled endpoint was enabled again through the API',
    dataSchema: objectSchema(['endpointId'], { endpointId }),
  },
  {
    type: 'endpoint.circuit_opened',
    version: 1,
    description: "An endpoint's circuit breaker opened: attempts pause until a probe at probeAt",
    dataSchema: objectSchema(['endpointId'], { endpointId, probeAt: timestamp }),
  },
  {
    type: 'endpoint.circuit_closed',
    version: 1,
    description: "An endpoint's probe succeeded and its circuit breaker closed",
    dataSchema: objectSchema(['endpointId'], { endpointId }),
  },
  {
    type: 'delivery.exhausted',
    version: 1,
    description: 'A delivery failed every attempt of its retry schedule and was dead-lettered',
    dataSchema: objectSchema(['endpointId', 'deliveryId'], {
      endpointId,
      deliveryId: id,
      eventId: id,
      eventType: { type: 'string' },
      attempts: { type: 'integer', minimum: 1 },
    }),
  },
];
