import type { EventTypeDefinition } from './event-type.definition';
import { id, objectSchema, optionalText, timestamp } from './schema-fragments';

const conversation = objectSchema(['id'], {
  id,
  status: { type: 'string' },
  channel: { type: 'string' },
  lineId: id,
  assigneeId: { type: ['string', 'null'] },
  tags: { type: 'array', items: { type: 'string' } },
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** Assignment names who it went to. */
const assignment = objectSchema(['id', 'assigneeId'], {
  ...(conversation.properties as Record<string, unknown>),
  assigneeId: id,
});

/** After NexaDesk's lead object (visitor_name, pipeline_stage, ...), open to other fields. */
const lead = objectSchema(['id'], {
  id,
  visitor_name: optionalText,
  visitor_email: optionalText,
  pipeline_stage: optionalText,
  source: optionalText,
  created_at: timestamp,
});

const contact = objectSchema(['id'], {
  id,
  name: optionalText,
  email: optionalText,
  phone: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const CRM_EVENT_TYPES: EventTypeDefinition[] = [
  {
    type: 'conversation.created',
    version: 1,
    description: 'A conversation was started',
    dataSchema: conversation,
  },
  {
    type: 'conversation.updated',
    version: 1,
    description: 'Status, assignment or tags changed',
    dataSchema: conversation,
  },
  {
    type: 'conversation.closed',
    version: 1,
    description: 'A conversation was closed',
    dataSchema: conversation,
  },
  {
    type: 'conversation.assigned',
    version: 1,
    description: 'A conversation was assigned',
    dataSchema: assignment,
  },
  { type: 'lead.created', version: 1, description: 'A lead was added', dataSchema: lead },
  {
    type: 'lead.updated',
    version: 1,
    description: "A lead's stage, assignment or details changed",
    dataSchema: lead,
  },
  {
    type: 'lead.deleted',
    version: 1,
    description: 'A lead was deleted',
    dataSchema: objectSchema(['id'], { id }),
  },
  { type: 'contact.created', version: 1, description: 'A contact was created', dataSchema: contact },
  { type: 'contact.updated', version: 1, description: "A contact's details changed", dataSchema: contact },
];
