/**
 * MessageDesk-side code: how a MessageDesk-style product maps its relays onto the one Herald endpoint
 * behind its workspace's Developer Tools webhook (see the README, "MessageDesk relays"). It lives with
 * the test because it is the product's code, not Herald's; Herald needs no relay concept for it.
 *
 * A relay is a trigger, conditions, and the Send Webhook action towards the workspace endpoint
 * (seed 000, "Add the Send Webhook action to a Relay"); it can be On or paused. Every active relay
 * becomes one clause `type = <trigger's type> AND <conditions>` of the endpoint's filter; the
 * endpoint's eventTypes are the triggers' types, so the router never considers it for other types.
 */

/** The relay triggers this product offers and the Herald catalogue type each fires on. */
export const RELAY_TRIGGER_TYPES = {
  MessageReceived: 'message.received',
  MessageSent: 'message.sent',
  ConversationCreated: 'conversation.created',
  ConversationClosed: 'conversation.closed',
  ConversationAssigned: 'conversation.assigned',
} as const;

export type RelayTrigger = keyof typeof RELAY_TRIGGER_TYPES;

type Scalar = string | number | boolean;

/** A condition on a field of the trigger's object (the Event's `data`, e.g. the Message). */
export type RelayCondition =
  | { field: string; is: Scalar }
  | { field: string; isNot: Scalar }
  | { field: string; oneOf: Scalar[] }
  /** Case-insensitive substring of a text field (or of one string of an array field). */
  | { field: string; contains: string };

export interface Relay {
  id: string;
  trigger: RelayTrigger;
  conditions: RelayCondition[];
  /** The relay's On/paused switch. */
  on: boolean;
}

/** The routing fields of the Herald endpoint, as sent on create or PATCH. */
export interface EndpointRouting {
  eventTypes: string[];
  filter: Record<string, unknown>;
  disabled: boolean;
}

/** Matches no event: what a workspace whose relays are all paused keeps, besides being disabled. */
const NO_EVENT = { type: { $in: [] } };

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The endpoint's routing for the workspace's relays: eventTypes the union of the active relays'
 * trigger types, filter the OR of their clauses, disabled when no relay is On. Pausing a relay is
 * recomputing this without its clause and PATCHing the endpoint with the result.
 */
export function relaysToEndpoint(relays: readonly Relay[]): EndpointRouting {
  const active = relays.filter((relay) => relay.on);
  if (active.length === 0) return { eventTypes: ['*'], filter: NO_EVENT, disabled: true };
  const clauses: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const relay of active) {
    const clause = relayClause(relay);
    const key = JSON.stringify(clause);
    // Two relays with the same trigger and conditions are one clause: Herald delivers once anyway.
    if (seen.has(key)) continue;
    seen.add(key);
    clauses.push(clause);
  }
  const eventTypes = [...new Set(active.map((relay) => RELAY_TRIGGER_TYPES[relay.trigger]))].sort();
  return { eventTypes, filter: { $or: clauses }, disabled: false };
}

/** `type = trigger AND every condition`, one filter object (top-level keys are ANDed). */
export function relayClause(relay: Relay): Record<string, unknown> {
  const type = RELAY_TRIGGER_TYPES[relay.trigger];
  if (!type) throw new Error(`relay ${relay.id}: unknown trigger ${String(relay.trigger)}`);
  // Several conditions on one field cannot share a key, so each is its own $and member.
  const conditions = relay.conditions.map((condition) => conditionFilter(relay.id, condition));
  return conditions.length === 0 ? { type } : { type, $and: conditions };
}

function conditionFilter(relayId: string, condition: RelayCondition): Record<string, unknown> {
  if (!FIELD.test(condition.field)) throw new Error(`relay ${relayId}: bad field ${condition.field}`);
  const path = `data.${condition.field}`;
  if ('is' in condition) return { [path]: { $eq: condition.is } };
  if ('isNot' in condition) return { [path]: { $ne: condition.isNot } };
  if ('oneOf' in condition) return { [path]: { $in: condition.oneOf } };
  return { [path]: { $regex: escapeRegex(condition.contains), $options: 'i' } };
}

/** A literal for Herald's RE2 `$regex`: every metacharacter escaped. */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
