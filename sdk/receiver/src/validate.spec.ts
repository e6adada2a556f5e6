import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_EVENT_ENVELOPE_SCHEMA, EVENT_CATALOGUE } from '@herald/contracts';
import { renderPayload } from '@herald/payloads';
import { EVENT_TYPES, validateEvent, type HeraldEvent } from './index';

const { renderGenerated, generateEvents } = require('../scripts/events-codegen.cjs');

describe('generated event types and schemas', () => {
  it("match Herald's catalogue exactly (run npm run build after changing it)", async () => {
    const files = await renderGenerated({
      catalogue: EVENT_CATALOGUE,
      envelope: DOMAIN_EVENT_ENVELOPE_SCHEMA,
    });
    for (const [name, source] of Object.entries(files as Record<string, string>))
      expect(readFileSync(join(__dirname, 'generated', name), 'utf8')).toBe(source);
    expect([...EVENT_TYPES].sort()).toEqual([...new Set(EVENT_CATALOGUE.map((e) => e.type))].sort());
  });

  it('refuse a schema keyword the validator does not implement', () => {
    const catalogue = [
      { type: 'x.y', version: 1, description: 'x', dataSchema: { type: 'object', oneOf: [] } },
    ];
    expect(() => generateEvents({ catalogue, envelope: {} })).toThrow(/"oneOf" is not supported/);
  });
});

describe('validateEvent', () => {
  const event = {
    id: 'evt_1',
    type: 'message.received',
    workspaceId: 'ws_1',
    occurredAt: '2026-12-02T14:00:00.000Z',
    data: { id: 'm1', conversationId: 'c1', text: 'hi' },
  };

  it('accepts every profile Herald renders for a valid event, typed', () => {
    const typed: HeraldEvent = validateEvent(JSON.parse(renderPayload('herald', event)));
    expect(typed.type).toBe('message.received');
    for (const profile of ['messagedesk', 'messages-dev', 'nexadesk'] as const)
      expect(() => validateEvent(JSON.parse(renderPayload(profile, event)), { profile })).not.toThrow();
  });

  it("checks data against the event's version, and names what is wrong", () => {
    const v2 = { ...event, schemaVersion: 2, data: { id: 'm1', conversationId: 'c1', from: 'bare string' } };
    expect(() => validateEvent(v2)).toThrow(/\$\.data\.from: expected object, got string/);
    expect(() => validateEvent({ ...event, data: { id: 'm1' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_PAYLOAD',
        message: expect.stringContaining('conversationId: required'),
      }),
    );
    expect(() => validateEvent({ ...event, occurredAt: 'yesterday' })).toThrow(/date-time/);
    const nexa = JSON.parse(renderPayload('nexadesk', { ...event, data: { conversationId: 5 } }));
    expect(() => validateEvent(nexa, { profile: 'nexadesk' })).toThrow(
      /\$\.data\.id: required.*conversationId: expected string/,
    );
  });

  it('lets unknown types through by default (a newer Herald), or refuses them', () => {
    const unknown = { ...event, type: 'invoice.paid' };
    expect(validateEvent(unknown)).toBe(unknown);
    expect(() => validateEvent(unknown, { unknownTypes: 'reject' })).toThrow(/not in this SDK's catalogue/);
  });
});
