import { EventValidator } from '@herald/contracts';
import { acceptedEvent, buildDomainEvent, topicForDraft } from './event-draft';

describe('event drafts', () => {
  const now = new Date('2026-12-02T12:00:00.000Z');
  const validator = new EventValidator();

  it('builds the envelope and checks it as the router does', () => {
    const event = buildDomainEvent(
      {
        type: 'message.received',
        workspaceId: 'ws_1',
        data: { id: 'msg_1', conversationId: 'cnv_1' },
        id: 'ev-1',
      },
      now,
    );
    expect(event).toEqual({
      id: 'ev-1',
      type: 'message.received',
      workspaceId: 'ws_1',
      occurredAt: '2026-12-02T12:00:00.000Z',
      data: { id: 'msg_1', conversationId: 'cnv_1' },
    });
    expect(acceptedEvent(validator.validate(event)).id).toBe('ev-1');
  });

  it('refuses data the catalogue refuses, in one line', () => {
    const bad = buildDomainEvent({ type: 'message.received', workspaceId: 'ws_1', data: { id: 'm' } }, now);
    expect(() => acceptedEvent(validator.validate(bad))).toThrow(
      "event refused (schema_violation): message.received v1: data must have required property 'conversationId'",
    );
    const unknown = buildDomainEvent({ type: 'invoice.paid', workspaceId: 'ws_1', data: {} }, now);
    expect(() => acceptedEvent(validator.validate(unknown))).toThrow(/unknown_type/);
  });

  it('refuses operational types, which only Herald emits, even with --topic', () => {
    expect(() => topicForDraft({ type: 'endpoint.disabled', topic: 'domain.leads' })).toThrow(
      /operational event type/,
    );
  });

  it("picks the type's domain topic unless --topic says otherwise", () => {
    expect(topicForDraft({ type: 'lead.created' })).toBe('domain.leads');
    expect(topicForDraft({ type: 'lead.created', topic: 'custom' })).toBe('custom');
    expect(() => topicForDraft({ type: 'invoice.paid' })).toThrow(/pass --topic/);
  });
});
