import type { EventTypeDefinition, JsonSchema } from './event-type.definition';
import { id, objectSchema, optionalText, timestamp } from './schema-fragments';

/**
 * A message, after MessageDesk's Message object (communicationType sms, mms, email, ...) with the
 * line/channel fields endpoints are scoped by. Messages.dev's chat_id/sender map to conversationId/from.
 */
const message = objectSchema(['id', 'conversationId'], {
  id,
  object: { type: 'string' },
  workspaceId: id,
  conversationId: id,
  communicationType: { type: 'string', minLength: 1, maxLength: 50 },
  lineId: id,
  channelId: id,
  to: { type: 'array', items: { type: 'string' } },
  from: { type: 'string' },
  text: optionalText,
  media: { type: 'array', items: { type: 'string' } },
  outbound: { type: 'boolean' },
  createdAt: timestamp,
});

const reaction = objectSchema(['messageId', 'reaction'], {
  messageId: id,
  conversationId: id,
  reaction: { type: 'string', minLength: 1, maxLength: 100 },
  sender: { type: 'string' },
  lineId: id,
});

const typing = objectSchema(['conversationId'], {
  conversationId: id,
  participant: { type: 'string' },
  lineId: id,
});

const receipt = objectSchema(['messageId'], {
  messageId: id,
  conversationId: id,
  readAt: timestamp,
  reader: { type: 'string' },
  lineId: id,
});

/** A party to a message: its address (phone number, email, handle) and, when known, a display name. */
const participant = objectSchema(['address'], {
  address: { type: 'string', minLength: 1, maxLength: 320 },
  name: optionalText,
});

/**
 * Version 2 of a received message: sender and recipients are participants rather than bare strings,
 * so names travel with addresses (as Messages.dev's `sender` and MessageDesk's `from` both need).
 */
const messageV2 = objectSchema(['id', 'conversationId', 'from'], {
  ...(message.properties as Record<string, JsonSchema>),
  from: participant,
  to: { type: 'array', items: participant },
});

/** NexaDesk's and GudDesk's message, from any side of a conversation (visitor, agent or bot). */
const createdMessage = objectSchema(['id', 'conversationId'], {
  ...(message.properties as Record<string, JsonSchema>),
  senderType: { type: 'string', enum: ['visitor', 'agent', 'bot'] },
});

export const MESSAGING_EVENT_TYPES: EventTypeDefinition[] = [
  {
    type: 'message.created',
    version: 1,
    description: 'A new message was sent in any conversation (visitor, agent or bot)',
    dataSchema: createdMessage,
  },
  {
    type: 'message.received',
    version: 1,
    description: 'A new incoming message on a line',
    dataSchema: message,
  },
  {
    type: 'message.received',
    version: 2,
    description: 'A new incoming message on a line; from and to are participants ({address, name})',
    dataSchema: messageV2,
  },
  { type: 'message.sent', version: 1, description: 'An outgoing message was sent', dataSchema: message },
  {
    type: 'reaction.added',
    version: 1,
    description: 'A reaction was added to a message',
    dataSchema: reaction,
  },
  { type: 'reaction.removed', version: 1, description: 'A reaction was removed', dataSchema: reaction },
  { type: 'typing.started', version: 1, description: 'Someone started typing', dataSchema: typing },
  { type: 'typing.stopped', version: 1, description: 'Someone stopped typing', dataSchema: typing },
  { type: 'receipt.read', version: 1, description: 'A read receipt was received', dataSchema: receipt },
];
