import type { DomainEvent } from '@herald/contracts';
import { pascalCase, renderPayload } from './render-payload';

const event: DomainEvent = {
  id: '01KAE88YX393N7SAE200000000',
  type: 'message.received',
  workspaceId: '01K6N5WEYHS5N0796000000000',
  occurredAt: '2025-11-19T14:28:39.459Z',
  data: { id: 'msg_1', conversationId: 'cnv_1', communicationType: 'sms', text: 'Hey there!' },
};

describe('renderPayload', () => {
  it('renders the canonical Herald envelope by default, dropping extra top-level fields', () => {
    const withExtra = { ...event, producer: 'crm' } as DomainEvent;
    expect(renderPayload('herald', withExtra)).toBe(
      JSON.stringify({
        id: event.id,
        type: event.type,
        workspaceId: event.workspaceId,
        occurredAt: event.occurredAt,
        data: event.data,
      }),
    );
  });

  it("renders MessageDesk's Event object", () => {
    expect(JSON.parse(renderPayload('messagedesk', event))).toEqual({
      id: event.id,
      object: 'Event',
      name: 'MessageReceived',
      workspaceId: event.workspaceId,
      createdAt: event.occurredAt,
      dataType: 'Message',
      data: event.data,
    });
    const keys = Object.keys(JSON.parse(renderPayload('messagedesk', event)));
    expect(keys).toEqual(['id', 'object', 'name', 'workspaceId', 'createdAt', 'dataType', 'data']);
  });

  it("renders Messages.dev's {event, data, timestamp} with epoch milliseconds", () => {
    expect(renderPayload('messages-dev', event)).toBe(
      JSON.stringify({
        event: 'message.received',
        data: event.data,
        timestamp: Date.parse(event.occurredAt),
      }),
    );
  });

  it("renders NexaDesk's {event, timestamp, workspace_id, data} with an ISO timestamp", () => {
    const lead = {
      ...event,
      type: 'lead.created',
      occurredAt: '2026-03-20T15:00:00+01:00',
      data: { id: 'lead_1' },
    };
    expect(renderPayload('nexadesk', lead)).toBe(
      JSON.stringify({
        event: 'lead.created',
        timestamp: '2026-03-20T14:00:00.000Z',
        workspace_id: lead.workspaceId,
        data: { id: 'lead_1' },
      }),
    );
  });

  it('is deterministic: the same event renders the same bytes', () => {
    for (const profile of ['herald', 'messagedesk', 'messages-dev', 'nexadesk'] as const) {
      expect(renderPayload(profile, structuredClone(event))).toBe(renderPayload(profile, event));
    }
  });

  it('falls back to the Herald envelope for an unknown profile', () => {
    expect(renderPayload('bogus' as never, event)).toBe(renderPayload('herald', event));
  });

  it("labels the body with the schema version when asked, in each profile's own casing", () => {
    const v2 = { ...event, schemaVersion: 2 };
    expect(JSON.parse(renderPayload('herald', v2, 2))).toMatchObject({ schemaVersion: 2 });
    expect(JSON.parse(renderPayload('messagedesk', v2, 2))).toMatchObject({ schemaVersion: 2 });
    expect(JSON.parse(renderPayload('messages-dev', v2, 2))).toMatchObject({ schema_version: 2 });
    expect(JSON.parse(renderPayload('nexadesk', v2, 2))).toMatchObject({ schema_version: 2 });
  });

  it('leaves the documented shape untouched without a label, even if the event names a version', () => {
    for (const profile of ['herald', 'messagedesk', 'messages-dev', 'nexadesk'] as const) {
      expect(renderPayload(profile, { ...event, schemaVersion: 2 })).toBe(renderPayload(profile, event));
    }
  });

  it('PascalCases types', () => {
    expect(pascalCase('conversation.assigned')).toBe('ConversationAssigned');
    expect(pascalCase('receipt.read')).toBe('ReceiptRead');
    expect(pascalCase('typing_indicator.started')).toBe('TypingIndicatorStarted');
  });
});
