import { isOperationalEventType } from '../events/operational.event';
import type { EventTypeDefinition, JsonSchema } from './event-type.definition';
import { MESSAGING_EVENT_TYPES } from './messaging.schemas';
import { CRM_EVENT_TYPES } from './crm.schemas';
import { OPERATIONAL_EVENT_DEFINITIONS } from './operational.schemas';
import { id, timestamp } from './schema-fragments';

/** The families of the catalogue: product services' events, and Herald's own about endpoints. */
export type EventFamily = 'domain' | 'operational';

/** The event types product services produce to the domain topics. */
export const DOMAIN_EVENT_CATALOGUE: readonly EventTypeDefinition[] = [
  ...MESSAGING_EVENT_TYPES,
  ...CRM_EVENT_TYPES,
];

/** Every event type an endpoint can subscribe to, each with a versioned schema for `data`. */
export const EVENT_CATALOGUE: readonly EventTypeDefinition[] = [
  ...DOMAIN_EVENT_CATALOGUE,
  ...OPERATIONAL_EVENT_DEFINITIONS,
];

/** Every catalogued type, once (each may have several versions). */
export const EVENT_TYPES: readonly string[] = [...new Set(EVENT_CATALOGUE.map((entry) => entry.type))];

/** The family a catalogued type belongs to. */
export function eventFamily(type: string): EventFamily {
  return isOperationalEventType(type) ? 'operational' : 'domain';
}

/** The envelope every domain event shares; extra top-level fields are allowed and ignored. */
export const DOMAIN_EVENT_ENVELOPE_SCHEMA: JsonSchema = {
  $id: 'urn:herald:schema:domain-event:v1',
  type: 'object',
  required: ['id', 'type', 'workspaceId', 'occurredAt', 'data'],
  properties: {
    id,
    type: { type: 'string', minLength: 1, maxLength: 200 },
    workspaceId: id,
    occurredAt: timestamp,
    /** The version of the type's data schema the event follows; absent means 1. */
    schemaVersion: { type: 'integer', minimum: 1, maximum: 1000 },
    data: { type: 'object' },
  },
  additionalProperties: true,
};

/** The version an event follows when it names none. */
export const DEFAULT_EVENT_VERSION = 1;

/** The definition of one version of a type, if catalogued. */
export function findEventVersion(type: string, version: number): EventTypeDefinition | undefined {
  return EVENT_CATALOGUE.find((entry) => entry.type === type && entry.version === version);
}

/** Every catalogued version of a type, lowest first. */
export function eventTypeVersions(type: string): number[] {
  return EVENT_CATALOGUE.filter((entry) => entry.type === type)
    .map((entry) => entry.version)
    .sort((a, b) => a - b);
}

/** A type's highest version (whether a type is catalogued at all). */
export function findEventType(type: string): EventTypeDefinition | undefined {
  let found: EventTypeDefinition | undefined;
  for (const entry of EVENT_CATALOGUE) {
    if (entry.type === type && (!found || entry.version > found.version)) found = entry;
  }
  return found;
}

/** `urn:herald:schema:message.received:v1`, the `$id` of a type's data schema. */
export function eventSchemaId(type: string, version: number): string {
  return `urn:herald:schema:${type}:v${version}`;
}
