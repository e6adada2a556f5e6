import type { DomainEvent, PayloadProfile } from '@herald/contracts';

/**
 * The body an endpoint receives, rendered once at fan-out so every retry sends identical bytes.
 *
 * - `herald` (default): Herald's canonical envelope, `{id, type, workspaceId, occurredAt, data}`, the
 *   event exactly as validated, extra top-level fields dropped.
 * - `messagedesk`: MessageDesk's Event object, `{id, object:"Event", name, workspaceId, createdAt,
 *   dataType, data}`; `name` is the type in PascalCase (message.received -> MessageReceived) and
 *   `dataType` its first segment in PascalCase (Message).
 * - `messages-dev`: `{event, data, timestamp}` with `timestamp` in epoch milliseconds.
 * - `nexadesk`: `{event, timestamp, workspace_id, data}` with an ISO-8601 `timestamp`.
 *
 * Timestamps come from the event's `occurredAt`, never the clock, so rendering is a pure function.
 *
 * `version` (see payloadVersionLabel) labels the body with the schema version of `data`:
 * `schemaVersion` in the herald and messagedesk shapes, `schema_version` in the snake_case ones.
 * Without it the body is exactly the profile's documented shape.
 */
export function renderPayload(profile: PayloadProfile, event: DomainEvent, version?: number): string {
  const camel = version === undefined ? {} : { schemaVersion: version };
  const snake = version === undefined ? {} : { schema_version: version };
  switch (profile) {
    case 'messagedesk':
      return JSON.stringify({
        id: event.id,
        object: 'Event',
        name: pascalCase(event.type),
        workspaceId: event.workspaceId,
        createdAt: event.occurredAt,
        dataType: pascalCase(event.type.split('.')[0]),
        ...camel,
        data: event.data,
      });
    case 'messages-dev':
      return JSON.stringify({
        event: event.type,
        ...snake,
        data: event.data,
        timestamp: Date.parse(event.occurredAt),
      });
    case 'nexadesk':
      return JSON.stringify({
        event: event.type,
        timestamp: isoTimestamp(event.occurredAt),
        workspace_id: event.workspaceId,
        ...snake,
        data: event.data,
      });
    case 'herald':
    default:
      return JSON.stringify({
        id: event.id,
        type: event.type,
        workspaceId: event.workspaceId,
        occurredAt: event.occurredAt,
        ...camel,
        data: event.data,
      });
  }
}

/** `conversation.assigned` -> `ConversationAssigned`; `-` and `_` also separate words. */
export function pascalCase(type: string): string {
  return type
    .split(/[._-]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/** Normalised to UTC with milliseconds; an unparseable value (validation prevents it) passes through. */
function isoTimestamp(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
