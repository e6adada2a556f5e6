import { EventTypesController } from './event-types.controller';

/**
 * Every event type the four seed products document, read from their docs in /work/shared/seeds/:
 * Messages.dev (002_f0192a3814821eb8.txt, "Events" table), GudDesk (003_9ad9576f95545609.txt, "Event
 * Types" flags, named through GUDDESK_EVENT_FLAGS), NexaDesk (004_f9728e5060c2493b.txt, "Event Types")
 * and MessageDesk (000_15fb22d117caad33.txt, its `MessageReceived` example, rendered from
 * message.received).
 */
const SEED_EVENT_TYPES = {
  'Messages.dev': [
    'message.received',
    'message.sent',
    'reaction.added',
    'reaction.removed',
    'typing.started',
    'typing.stopped',
    'receipt.read',
  ],
  GudDesk: ['message.created', 'conversation.created', 'conversation.closed', 'conversation.assigned'],
  NexaDesk: [
    'conversation.created',
    'conversation.updated',
    'conversation.closed',
    'message.created',
    'lead.created',
    'lead.updated',
    'lead.deleted',
    'contact.created',
    'contact.updated',
  ],
  MessageDesk: ['message.received'],
};

describe('GET /v1/event-types', () => {
  const listed = new EventTypesController().list();

  it.each(Object.entries(SEED_EVENT_TYPES))('lists every event type %s documents', (_seed, types) => {
    const names = new Set(listed.data.map((entry) => entry.type));
    for (const type of types) expect(names).toContain(type);
  });

  it('shows every version of a type with its own schema', () => {
    const received = listed.data.filter((entry) => entry.type === 'message.received');
    expect(received.map((entry) => entry.version)).toEqual([1, 2]);
    expect(received[0].schema).not.toEqual(received[1].schema);
    expect((listed.envelope.properties as Record<string, unknown>).schemaVersion).toBeDefined();
  });

  it('lists the operational family with schemas: failing, recovered, disabled, enabled and the rest', () => {
    const operational = listed.data.filter((entry) => entry.family === 'operational');
    expect(operational.map((entry) => entry.type).sort()).toEqual([
      'delivery.exhausted',
      'endpoint.circuit_closed',
      'endpoint.circuit_opened',
      'endpoint.disabled',
      'endpoint.enabled',
      'endpoint.failing',
      'endpoint.recovered',
    ]);
    const failing = operational.find((entry) => entry.type === 'endpoint.failing')!;
    expect(failing.schema).toMatchObject({
      required: ['endpointId', 'threshold', 'failingSince', 'disableAt'],
    });
    expect(listed.data.find((entry) => entry.type === 'message.received')!.family).toBe('domain');
  });
});
