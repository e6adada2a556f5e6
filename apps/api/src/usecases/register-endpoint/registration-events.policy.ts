import {
  DomainError,
  ErrorCode,
  GUDDESK_EVENT_FLAGS,
  fromGudDeskEventFlags,
  unknownGudDeskEventFlags,
} from '@herald/contracts';

/**
 * The event types a registration subscribes to. Agents send either catalogue types
 * (`["conversation.created"]`) or GudDesk's flag object (`{"onConversationCreated": true}`); flags
 * set to false are left out, unknown flags and an empty choice are refused (422) rather than
 * silently subscribing to nothing. Whether the types are catalogued is checked by the create path.
 */
export function registrationEventTypes(events: unknown): string[] {
  if (Array.isArray(events)) {
    if (events.length === 0 || !events.every((e) => typeof e === 'string' && e.length > 0))
      throw refusal('events must be a non-empty list of event types or an object of GudDesk event flags');
    return events as string[];
  }
  if (events === null || typeof events !== 'object')
    throw refusal('events must be a list of event types or an object of GudDesk event flags');
  const flags = events as Record<string, unknown>;
  const unknown = unknownGudDeskEventFlags(flags);
  if (unknown.length > 0)
    throw refusal(
      `unknown GudDesk event flag(s) ${unknown.join(', ')}; known: ${Object.keys(GUDDESK_EVENT_FLAGS).join(', ')}`,
    );
  const notBoolean = Object.keys(flags).filter((name) => typeof flags[name] !== 'boolean');
  if (notBoolean.length > 0)
    throw refusal(`GudDesk event flag(s) ${notBoolean.join(', ')} must be true or false`);
  const types = fromGudDeskEventFlags(flags);
  if (types.length === 0) throw refusal('events sets no GudDesk event flag to true');
  return types;
}

function refusal(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, { status: 422, field: 'events' });
}
