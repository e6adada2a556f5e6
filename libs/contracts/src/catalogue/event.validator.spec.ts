import { EVENT_TYPES, findEventType } from './event-catalogue';
import { EventValidator } from './event.validator';

const validator = new EventValidator();
const base = { id: 'evt_1', workspaceId: 'ws_1', occurredAt: '2026-03-20T14:00:00.000Z' };

const samples: Record<string, Record<string, unknown>> = {
  'message.created': { id: 'msg_3', conversationId: 'cnv_1', senderType: 'bot', text: 'hello' },
  'message.received': {
    id: 'msg_1',
    conversationId: 'cnv_1',
    communicationType: 'sms',
    to: ['+1'],
    from: '+2',
    text: 'hi',
  },
  'message.sent': { id: 'msg_2', conversationId: 'cnv_1', outbound: true },
  'reaction.added': { messageId: 'msg_1', reaction: '👍' },
  'reaction.removed': { messageId: 'msg_1', reaction: '👍' },
  'typing.started': { conversationId: 'cnv_1' },
  'typing.stopped': { conversationId: 'cnv_1' },
  'receipt.read': { messageId: 'msg_1', readAt: '2026-03-20T14:00:01Z' },
  'conversation.created': { id: 'cnv_1', status: 'open' },
  'conversation.updated': { id: 'cnv_1', tags: ['vip'] },
  'conversation.closed': { id: 'cnv_1' },
  'conversation.assigned': { id: 'cnv_1', assigneeId: 'usr_1' },
  'lead.created': { id: 'lead_1', visitor_name: 'John Doe', pipeline_stage: 'new' },
  'lead.updated': { id: 'lead_1' },
  'lead.deleted': { id: 'lead_1' },
  'contact.created': { id: 'ctc_1', phone: '+17025551111' },
  'contact.updated': { id: 'ctc_1' },
  // The operational family: Herald emits these about the workspace's endpoints.
  'endpoint.failing': {
    endpointId: 'ep_1',
    threshold: 70,
    failingSince: '2026-03-20T10:00:00.000Z',
    disableAt: '2026-03-25T10:00:00.000Z',
  },
  'endpoint.recovered': { endpointId: 'ep_1', failingSince: '2026-03-20T10:00:00.000Z', threshold: 50 },
  'endpoint.disabled': { endpointId: 'ep_1', cause: 'endpoint_gone', deliveryId: 'dlv_1' },
  'endpoint.enabled': { endpointId: 'ep_1' },
  'endpoint.circuit_opened': { endpointId: 'ep_1', probeAt: '2026-03-20T14:00:30.000Z' },
  'endpoint.circuit_closed': { endpointId: 'ep_1' },
  'delivery.exhausted': {
    endpointId: 'ep_1',
    deliveryId: 'dlv_1',
    eventId: 'evt_1',
    eventType: 'message.received',
    attempts: 8,
  },
};

describe('event catalogue', () => {
  it('covers the required types, each versioned', () => {
    expect([...EVENT_TYPES].sort()).toEqual(Object.keys(samples).sort());
    for (const type of EVENT_TYPES) expect(findEventType(type)?.version).toBeGreaterThanOrEqual(1);
  });

  it.each(Object.entries(samples))('accepts a valid %s', (type, data) => {
    const result = validator.validate({ ...base, type, data });
    expect(result).toEqual({ ok: true, event: { ...base, type, data } });
  });

  it('keeps data open to extra fields', () => {
    expect(
      validator.validate({ ...base, type: 'lead.created', data: { id: 'l', score: 7, custom: { a: 1 } } }).ok,
    ).toBe(true);
  });

  it.each([
    [{ ...base, type: 'message.received' }, /event must have required property 'data'/],
    [
      { ...base, id: '', type: 'lead.created', data: { id: 'l' } },
      /event\.id must NOT have fewer than 1 characters/,
    ],
    [
      { ...base, occurredAt: 'yesterday', type: 'lead.created', data: { id: 'l' } },
      /event\.occurredAt must match format "date-time"/,
    ],
    [{ ...base, type: 'lead.created', data: [] }, /event\.data must be object/],
    [
      { ...base, type: 'message.received', data: { id: 'm' } },
      /message\.received v1: data must have required property 'conversationId'/,
    ],
    [
      { ...base, type: 'message.received', data: { id: 'm', conversationId: 'c', to: 'x' } },
      /data\.to must be array/,
    ],
    [{ ...base, type: 'conversation.assigned', data: { id: 'c' } }, /required property 'assigneeId'/],
    ['a string', /event must be object/],
  ])('rejects %j as a schema violation', (value, message) => {
    const result = validator.validate(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('schema_violation');
      expect(result.message).toMatch(message);
    }
  });

  it('rejects an unknown type', () => {
    const result = validator.validate({ ...base, type: 'invoice.paid', data: {} });
    expect(result).toEqual({
      ok: false,
      reason: 'unknown_type',
      message: 'unknown event type "invoice.paid"',
    });
  });
});
