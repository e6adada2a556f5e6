import type { EventTypeDefinition, JsonSchema } from './event-type.definition';
import { MESSAGING_EVENT_TYPES } from './messaging.schemas';
import { CRM_EVENT_TYPES } from './crm.schemas';
import { id, timestamp } from './schema-fragments';

/** Every event type Herald accepts on its domain topics, each with a versioned schema for `data`. */
export const EVENT_CATALOGUE: readonly EventTypeDefinition[] = [...MESSAGING_EVENT_TYPES, ...CRM_EVENT_TYPES];

/** The latest version of each type. */
export const EVENT_TYPES: readonly string[] = [...new Set(EVENT_CATALOGUE.map((entry) => entry.type))];

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
    data: { type: 'object' },
  },
  additionalProperties: true,
};

/** The definition a type validates against: its highest version. */
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
