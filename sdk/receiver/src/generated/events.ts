// Generated from Herald's event catalogue (libs/contracts) by sdk/receiver/scripts/events-codegen.cjs
// during `npm run build`; do not edit. A spec fails when this file and the catalogue differ.

/** contact.created v1: A contact was created. */
export type ContactCreatedV1Data = {
  id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
};

/** contact.updated v1: A contact's details changed. */
export type ContactUpdatedV1Data = {
  id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
};

/** conversation.assigned v1: A conversation was assigned. */
export type ConversationAssignedV1Data = {
  id: string;
  status?: string;
  channel?: string;
  lineId?: string;
  assigneeId: string;
  tags?: string[];
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
};

/** conversation.closed v1: A conversation was closed. */
export type ConversationClosedV1Data = {
  id: string;
  status?: string;
  channel?: string;
  lineId?: string;
  assigneeId?: string | null;
  tags?: string[];
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
};

/** conversation.created v1: A conversation was started. */
export type ConversationCreatedV1Data = {
  id: string;
  status?: string;
  channel?: string;
  lineId?: string;
  assigneeId?: string | null;
  tags?: string[];
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
};

/** conversation.updated v1: Status, assignment or tags changed. */
export type ConversationUpdatedV1Data = {
  id: string;
  status?: string;
  channel?: string;
  lineId?: string;
  assigneeId?: string | null;
  tags?: string[];
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
};

/** delivery.exhausted v1: A delivery failed every attempt of its retry schedule and was dead-lettered. */
export type DeliveryExhaustedV1Data = {
  endpointId: string;
  deliveryId: string;
  eventId?: string;
  eventType?: string;
  attempts?: number;
  [field: string]: unknown;
};

/** endpoint.circuit_closed v1: An endpoint's probe succeeded and its circuit breaker closed. */
export type EndpointCircuitClosedV1Data = {
  endpointId: string;
  [field: string]: unknown;
};

/** endpoint.circuit_opened v1: An endpoint's circuit breaker opened: attempts pause until a probe at probeAt. */
export type EndpointCircuitOpenedV1Data = {
  endpointId: string;
  probeAt?: string;
  [field: string]: unknown;
};

/** endpoint.disabled v1: An endpoint was disabled: it answered 410 Gone, failed for the whole auto-disable window, or was disabled through the API. */
export type EndpointDisabledV1Data = {
  endpointId: string;
  cause: "endpoint_gone" | "endpoint_failing" | "manual";
  deliveryId?: string | null;
  [field: string]: unknown;
};

/** endpoint.enabled v1: A disabled endpoint was enabled again through the API. */
export type EndpointEnabledV1Data = {
  endpointId: string;
  [field: string]: unknown;
};

/** endpoint.failing v1: An endpoint has failed without a success for 50%, 70% or 90% of the auto-disable window (each level once per failing streak). */
export type EndpointFailingV1Data = {
  endpointId: string;
  threshold: 50 | 70 | 90;
  failingSince: string;
  disableAt: string;
  [field: string]: unknown;
};

/** endpoint.recovered v1: An endpoint that had crossed at least the first failing level succeeded again. */
export type EndpointRecoveredV1Data = {
  endpointId: string;
  failingSince: string;
  threshold: 50 | 70 | 90;
  [field: string]: unknown;
};

/** lead.created v1: A lead was added. */
export type LeadCreatedV1Data = {
  id: string;
  visitor_name?: string | null;
  visitor_email?: string | null;
  pipeline_stage?: string | null;
  source?: string | null;
  created_at?: string;
  [field: string]: unknown;
};

/** lead.deleted v1: A lead was deleted. */
export type LeadDeletedV1Data = {
  id: string;
  [field: string]: unknown;
};

/** lead.updated v1: A lead's stage, assignment or details changed. */
export type LeadUpdatedV1Data = {
  id: string;
  visitor_name?: string | null;
  visitor_email?: string | null;
  pipeline_stage?: string | null;
  source?: string | null;
  created_at?: string;
  [field: string]: unknown;
};

/** message.created v1: A new message was sent in any conversation (visitor, agent or bot). */
export type MessageCreatedV1Data = {
  id: string;
  object?: string;
  workspaceId?: string;
  conversationId: string;
  communicationType?: string;
  lineId?: string;
  channelId?: string;
  to?: string[];
  from?: string;
  text?: string | null;
  media?: string[];
  outbound?: boolean;
  createdAt?: string;
  senderType?: "visitor" | "agent" | "bot";
  [field: string]: unknown;
};

/** message.received v1: A new incoming message on a line. */
export type MessageReceivedV1Data = {
  id: string;
  object?: string;
  workspaceId?: string;
  conversationId: string;
  communicationType?: string;
  lineId?: string;
  channelId?: string;
  to?: string[];
  from?: string;
  text?: string | null;
  media?: string[];
  outbound?: boolean;
  createdAt?: string;
  [field: string]: unknown;
};

/** message.received v2: A new incoming message on a line; from and to are participants ({address, name}). */
export type MessageReceivedV2Data = {
  id: string;
  object?: string;
  workspaceId?: string;
  conversationId: string;
  communicationType?: string;
  lineId?: string;
  channelId?: string;
  to?: {
    address: string;
    name?: string | null;
    [field: string]: unknown;
  }[];
  from: {
    address: string;
    name?: string | null;
    [field: string]: unknown;
  };
  text?: string | null;
  media?: string[];
  outbound?: boolean;
  createdAt?: string;
  [field: string]: unknown;
};

/** message.sent v1: An outgoing message was sent. */
export type MessageSentV1Data = {
  id: string;
  object?: string;
  workspaceId?: string;
  conversationId: string;
  communicationType?: string;
  lineId?: string;
  channelId?: string;
  to?: string[];
  from?: string;
  text?: string | null;
  media?: string[];
  outbound?: boolean;
  createdAt?: string;
  [field: string]: unknown;
};

/** reaction.added v1: A reaction was added to a message. */
export type ReactionAddedV1Data = {
  messageId: string;
  conversationId?: string;
  reaction: string;
  sender?: string;
  lineId?: string;
  [field: string]: unknown;
};

/** reaction.removed v1: A reaction was removed. */
export type ReactionRemovedV1Data = {
  messageId: string;
  conversationId?: string;
  reaction: string;
  sender?: string;
  lineId?: string;
  [field: string]: unknown;
};

/** receipt.read v1: A read receipt was received. */
export type ReceiptReadV1Data = {
  messageId: string;
  conversationId?: string;
  readAt?: string;
  reader?: string;
  lineId?: string;
  [field: string]: unknown;
};

/** typing.started v1: Someone started typing. */
export type TypingStartedV1Data = {
  conversationId: string;
  participant?: string;
  lineId?: string;
  [field: string]: unknown;
};

/** typing.stopped v1: Someone stopped typing. */
export type TypingStoppedV1Data = {
  conversationId: string;
  participant?: string;
  lineId?: string;
  [field: string]: unknown;
};

/** Every catalogued type and version, to its `data` type. */
export interface EventDataByType {
  "contact.created": { 1: ContactCreatedV1Data };
  "contact.updated": { 1: ContactUpdatedV1Data };
  "conversation.assigned": { 1: ConversationAssignedV1Data };
  "conversation.closed": { 1: ConversationClosedV1Data };
  "conversation.created": { 1: ConversationCreatedV1Data };
  "conversation.updated": { 1: ConversationUpdatedV1Data };
  "delivery.exhausted": { 1: DeliveryExhaustedV1Data };
  "endpoint.circuit_closed": { 1: EndpointCircuitClosedV1Data };
  "endpoint.circuit_opened": { 1: EndpointCircuitOpenedV1Data };
  "endpoint.disabled": { 1: EndpointDisabledV1Data };
  "endpoint.enabled": { 1: EndpointEnabledV1Data };
  "endpoint.failing": { 1: EndpointFailingV1Data };
  "endpoint.recovered": { 1: EndpointRecoveredV1Data };
  "lead.created": { 1: LeadCreatedV1Data };
  "lead.deleted": { 1: LeadDeletedV1Data };
  "lead.updated": { 1: LeadUpdatedV1Data };
  "message.created": { 1: MessageCreatedV1Data };
  "message.received": { 1: MessageReceivedV1Data; 2: MessageReceivedV2Data };
  "message.sent": { 1: MessageSentV1Data };
  "reaction.added": { 1: ReactionAddedV1Data };
  "reaction.removed": { 1: ReactionRemovedV1Data };
  "receipt.read": { 1: ReceiptReadV1Data };
  "typing.started": { 1: TypingStartedV1Data };
  "typing.stopped": { 1: TypingStoppedV1Data };
}

export type EventType = keyof EventDataByType;

/** The newest catalogued version of each type. */
export interface LatestEventVersion {
  "contact.created": 1;
  "contact.updated": 1;
  "conversation.assigned": 1;
  "conversation.closed": 1;
  "conversation.created": 1;
  "conversation.updated": 1;
  "delivery.exhausted": 1;
  "endpoint.circuit_closed": 1;
  "endpoint.circuit_opened": 1;
  "endpoint.disabled": 1;
  "endpoint.enabled": 1;
  "endpoint.failing": 1;
  "endpoint.recovered": 1;
  "lead.created": 1;
  "lead.deleted": 1;
  "lead.updated": 1;
  "message.created": 1;
  "message.received": 2;
  "message.sent": 1;
  "reaction.added": 1;
  "reaction.removed": 1;
  "receipt.read": 1;
  "typing.started": 1;
  "typing.stopped": 1;
}

export const EVENT_TYPES = ["contact.created", "contact.updated", "conversation.assigned", "conversation.closed", "conversation.created", "conversation.updated", "delivery.exhausted", "endpoint.circuit_closed", "endpoint.circuit_opened", "endpoint.disabled", "endpoint.enabled", "endpoint.failing", "endpoint.recovered", "lead.created", "lead.deleted", "lead.updated", "message.created", "message.received", "message.sent", "reaction.added", "reaction.removed", "receipt.read", "typing.started", "typing.stopped"] as const;

/** A body in Herald's own `herald` payload profile (the default). */
export type HeraldEvent =
  | { id: string; type: "contact.created"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ContactCreatedV1Data }
  | { id: string; type: "contact.updated"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ContactUpdatedV1Data }
  | { id: string; type: "conversation.assigned"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ConversationAssignedV1Data }
  | { id: string; type: "conversation.closed"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ConversationClosedV1Data }
  | { id: string; type: "conversation.created"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ConversationCreatedV1Data }
  | { id: string; type: "conversation.updated"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ConversationUpdatedV1Data }
  | { id: string; type: "delivery.exhausted"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: DeliveryExhaustedV1Data }
  | { id: string; type: "endpoint.circuit_closed"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: EndpointCircuitClosedV1Data }
  | { id: string; type: "endpoint.circuit_opened"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: EndpointCircuitOpenedV1Data }
  | { id: string; type: "endpoint.disabled"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: EndpointDisabledV1Data }
  | { id: string; type: "endpoint.enabled"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: EndpointEnabledV1Data }
  | { id: string; type: "endpoint.failing"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: EndpointFailingV1Data }
  | { id: string; type: "endpoint.recovered"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: EndpointRecoveredV1Data }
  | { id: string; type: "lead.created"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: LeadCreatedV1Data }
  | { id: string; type: "lead.deleted"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: LeadDeletedV1Data }
  | { id: string; type: "lead.updated"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: LeadUpdatedV1Data }
  | { id: string; type: "message.created"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: MessageCreatedV1Data }
  | { id: string; type: "message.received"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: MessageReceivedV1Data }
  | { id: string; type: "message.received"; workspaceId: string; occurredAt: string; schemaVersion: 2; data: MessageReceivedV2Data }
  | { id: string; type: "message.sent"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: MessageSentV1Data }
  | { id: string; type: "reaction.added"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ReactionAddedV1Data }
  | { id: string; type: "reaction.removed"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ReactionRemovedV1Data }
  | { id: string; type: "receipt.read"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: ReceiptReadV1Data }
  | { id: string; type: "typing.started"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: TypingStartedV1Data }
  | { id: string; type: "typing.stopped"; workspaceId: string; occurredAt: string; schemaVersion?: 1; data: TypingStoppedV1Data };

/** A body in the `messagedesk` payload profile (MessageDesk's Event object). */
export type MessageDeskEvent =
  | { id: string; object: 'Event'; name: "ContactCreated"; workspaceId: string; createdAt: string; dataType: "Contact"; schemaVersion?: 1; data: ContactCreatedV1Data }
  | { id: string; object: 'Event'; name: "ContactUpdated"; workspaceId: string; createdAt: string; dataType: "Contact"; schemaVersion?: 1; data: ContactUpdatedV1Data }
  | { id: string; object: 'Event'; name: "ConversationAssigned"; workspaceId: string; createdAt: string; dataType: "Conversation"; schemaVersion?: 1; data: ConversationAssignedV1Data }
  | { id: string; object: 'Event'; name: "ConversationClosed"; workspaceId: string; createdAt: string; dataType: "Conversation"; schemaVersion?: 1; data: ConversationClosedV1Data }
  | { id: string; object: 'Event'; name: "ConversationCreated"; workspaceId: string; createdAt: string; dataType: "Conversation"; schemaVersion?: 1; data: ConversationCreatedV1Data }
  | { id: string; object: 'Event'; name: "ConversationUpdated"; workspaceId: string; createdAt: string; dataType: "Conversation"; schemaVersion?: 1; data: ConversationUpdatedV1Data }
  | { id: string; object: 'Event'; name: "DeliveryExhausted"; workspaceId: string; createdAt: string; dataType: "Delivery"; schemaVersion?: 1; data: DeliveryExhaustedV1Data }
  | { id: string; object: 'Event'; name: "EndpointCircuitClosed"; workspaceId: string; createdAt: string; dataType: "Endpoint"; schemaVersion?: 1; data: EndpointCircuitClosedV1Data }
  | { id: string; object: 'Event'; name: "EndpointCircuitOpened"; workspaceId: string; createdAt: string; dataType: "Endpoint"; schemaVersion?: 1; data: EndpointCircuitOpenedV1Data }
  | { id: string; object: 'Event'; name: "EndpointDisabled"; workspaceId: string; createdAt: string; dataType: "Endpoint"; schemaVersion?: 1; data: EndpointDisabledV1Data }
  | { id: string; object: 'Event'; name: "EndpointEnabled"; workspaceId: string; createdAt: string; dataType: "Endpoint"; schemaVersion?: 1; data: EndpointEnabledV1Data }
  | { id: string; object: 'Event'; name: "EndpointFailing"; workspaceId: string; createdAt: string; dataType: "Endpoint"; schemaVersion?: 1; data: EndpointFailingV1Data }
  | { id: string; object: 'Event'; name: "EndpointRecovered"; workspaceId: string; createdAt: string; dataType: "Endpoint"; schemaVersion?: 1; data: EndpointRecoveredV1Data }
  | { id: string; object: 'Event'; name: "LeadCreated"; workspaceId: string; createdAt: string; dataType: "Lead"; schemaVersion?: 1; data: LeadCreatedV1Data }
  | { id: string; object: 'Event'; name: "LeadDeleted"; workspaceId: string; createdAt: string; dataType: "Lead"; schemaVersion?: 1; data: LeadDeletedV1Data }
  | { id: string; object: 'Event'; name: "LeadUpdated"; workspaceId: string; createdAt: string; dataType: "Lead"; schemaVersion?: 1; data: LeadUpdatedV1Data }
  | { id: string; object: 'Event'; name: "MessageCreated"; workspaceId: string; createdAt: string; dataType: "Message"; schemaVersion?: 1; data: MessageCreatedV1Data }
  | { id: string; object: 'Event'; name: "MessageReceived"; workspaceId: string; createdAt: string; dataType: "Message"; schemaVersion?: 1; data: MessageReceivedV1Data }
  | { id: string; object: 'Event'; name: "MessageReceived"; workspaceId: string; createdAt: string; dataType: "Message"; schemaVersion: 2; data: MessageReceivedV2Data }
  | { id: string; object: 'Event'; name: "MessageSent"; workspaceId: string; createdAt: string; dataType: "Message"; schemaVersion?: 1; data: MessageSentV1Data }
  | { id: string; object: 'Event'; name: "ReactionAdded"; workspaceId: string; createdAt: string; dataType: "Reaction"; schemaVersion?: 1; data: ReactionAddedV1Data }
  | { id: string; object: 'Event'; name: "ReactionRemoved"; workspaceId: string; createdAt: string; dataType: "Reaction"; schemaVersion?: 1; data: ReactionRemovedV1Data }
  | { id: string; object: 'Event'; name: "ReceiptRead"; workspaceId: string; createdAt: string; dataType: "Receipt"; schemaVersion?: 1; data: ReceiptReadV1Data }
  | { id: string; object: 'Event'; name: "TypingStarted"; workspaceId: string; createdAt: string; dataType: "Typing"; schemaVersion?: 1; data: TypingStartedV1Data }
  | { id: string; object: 'Event'; name: "TypingStopped"; workspaceId: string; createdAt: string; dataType: "Typing"; schemaVersion?: 1; data: TypingStoppedV1Data };

/** A body in the `messages-dev` payload profile; `timestamp` is epoch milliseconds. */
export type MessagesDevEvent =
  | { event: "contact.created"; schema_version?: 1; data: ContactCreatedV1Data; timestamp: number }
  | { event: "contact.updated"; schema_version?: 1; data: ContactUpdatedV1Data; timestamp: number }
  | { event: "conversation.assigned"; schema_version?: 1; data: ConversationAssignedV1Data; timestamp: number }
  | { event: "conversation.closed"; schema_version?: 1; data: ConversationClosedV1Data; timestamp: number }
  | { event: "conversation.created"; schema_version?: 1; data: ConversationCreatedV1Data; timestamp: number }
  | { event: "conversation.updated"; schema_version?: 1; data: ConversationUpdatedV1Data; timestamp: number }
  | { event: "delivery.exhausted"; schema_version?: 1; data: DeliveryExhaustedV1Data; timestamp: number }
  | { event: "endpoint.circuit_closed"; schema_version?: 1; data: EndpointCircuitClosedV1Data; timestamp: number }
  | { event: "endpoint.circuit_opened"; schema_version?: 1; data: EndpointCircuitOpenedV1Data; timestamp: number }
  | { event: "endpoint.disabled"; schema_version?: 1; data: EndpointDisabledV1Data; timestamp: number }
  | { event: "endpoint.enabled"; schema_version?: 1; data: EndpointEnabledV1Data; timestamp: number }
  | { event: "endpoint.failing"; schema_version?: 1; data: EndpointFailingV1Data; timestamp: number }
  | { event: "endpoint.recovered"; schema_version?: 1; data: EndpointRecoveredV1Data; timestamp: number }
  | { event: "lead.created"; schema_version?: 1; data: LeadCreatedV1Data; timestamp: number }
  | { event: "lead.deleted"; schema_version?: 1; data: LeadDeletedV1Data; timestamp: number }
  | { event: "lead.updated"; schema_version?: 1; data: LeadUpdatedV1Data; timestamp: number }
  | { event: "message.created"; schema_version?: 1; data: MessageCreatedV1Data; timestamp: number }
  | { event: "message.received"; schema_version?: 1; data: MessageReceivedV1Data; timestamp: number }
  | { event: "message.received"; schema_version: 2; data: MessageReceivedV2Data; timestamp: number }
  | { event: "message.sent"; schema_version?: 1; data: MessageSentV1Data; timestamp: number }
  | { event: "reaction.added"; schema_version?: 1; data: ReactionAddedV1Data; timestamp: number }
  | { event: "reaction.removed"; schema_version?: 1; data: ReactionRemovedV1Data; timestamp: number }
  | { event: "receipt.read"; schema_version?: 1; data: ReceiptReadV1Data; timestamp: number }
  | { event: "typing.started"; schema_version?: 1; data: TypingStartedV1Data; timestamp: number }
  | { event: "typing.stopped"; schema_version?: 1; data: TypingStoppedV1Data; timestamp: number };

/** A body in the `nexadesk` payload profile; `timestamp` is ISO-8601. */
export type NexaDeskEvent =
  | { event: "contact.created"; timestamp: string; workspace_id: string; schema_version?: 1; data: ContactCreatedV1Data }
  | { event: "contact.updated"; timestamp: string; workspace_id: string; schema_version?: 1; data: ContactUpdatedV1Data }
  | { event: "conversation.assigned"; timestamp: string; workspace_id: string; schema_version?: 1; data: ConversationAssignedV1Data }
  | { event: "conversation.closed"; timestamp: string; workspace_id: string; schema_version?: 1; data: ConversationClosedV1Data }
  | { event: "conversation.created"; timestamp: string; workspace_id: string; schema_version?: 1; data: ConversationCreatedV1Data }
  | { event: "conversation.updated"; timestamp: string; workspace_id: string; schema_version?: 1; data: ConversationUpdatedV1Data }
  | { event: "delivery.exhausted"; timestamp: string; workspace_id: string; schema_version?: 1; data: DeliveryExhaustedV1Data }
  | { event: "endpoint.circuit_closed"; timestamp: string; workspace_id: string; schema_version?: 1; data: EndpointCircuitClosedV1Data }
  | { event: "endpoint.circuit_opened"; timestamp: string; workspace_id: string; schema_version?: 1; data: EndpointCircuitOpenedV1Data }
  | { event: "endpoint.disabled"; timestamp: string; workspace_id: string; schema_version?: 1; data: EndpointDisabledV1Data }
  | { event: "endpoint.enabled"; timestamp: string; workspace_id: string; schema_version?: 1; data: EndpointEnabledV1Data }
  | { event: "endpoint.failing"; timestamp: string; workspace_id: string; schema_version?: 1; data: EndpointFailingV1Data }
  | { event: "endpoint.recovered"; timestamp: string; workspace_id: string; schema_version?: 1; data: EndpointRecoveredV1Data }
  | { event: "lead.created"; timestamp: string; workspace_id: string; schema_version?: 1; data: LeadCreatedV1Data }
  | { event: "lead.deleted"; timestamp: string; workspace_id: string; schema_version?: 1; data: LeadDeletedV1Data }
  | { event: "lead.updated"; timestamp: string; workspace_id: string; schema_version?: 1; data: LeadUpdatedV1Data }
  | { event: "message.created"; timestamp: string; workspace_id: string; schema_version?: 1; data: MessageCreatedV1Data }
  | { event: "message.received"; timestamp: string; workspace_id: string; schema_version?: 1; data: MessageReceivedV1Data }
  | { event: "message.received"; timestamp: string; workspace_id: string; schema_version: 2; data: MessageReceivedV2Data }
  | { event: "message.sent"; timestamp: string; workspace_id: string; schema_version?: 1; data: MessageSentV1Data }
  | { event: "reaction.added"; timestamp: string; workspace_id: string; schema_version?: 1; data: ReactionAddedV1Data }
  | { event: "reaction.removed"; timestamp: string; workspace_id: string; schema_version?: 1; data: ReactionRemovedV1Data }
  | { event: "receipt.read"; timestamp: string; workspace_id: string; schema_version?: 1; data: ReceiptReadV1Data }
  | { event: "typing.started"; timestamp: string; workspace_id: string; schema_version?: 1; data: TypingStartedV1Data }
  | { event: "typing.stopped"; timestamp: string; workspace_id: string; schema_version?: 1; data: TypingStoppedV1Data };
