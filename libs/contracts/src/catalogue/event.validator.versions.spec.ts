import { DOMAIN_EVENT_ENVELOPE_SCHEMA, eventTypeVersions, findEventVersion } from './event-catalogue';
import { EventValidator } from './event.validator';

const validator = new EventValidator();
const base = { id: 'evt_1', workspaceId: 'ws_1', occurredAt: '2026-03-20T14:00:00.000Z' };
const v1Data = { id: 'msg_1', conversationId: 'cnv_1', from: '+15559876543', to: ['+15551234567'] };
const v2Data = {
  id: 'msg_1',
  conversationId: 'cnv_1',
  from: { address: '+15559876543', name: 'Ada' },
  to: [{ address: '+15551234567' }],
};

describe('event schema versions', () => {
  it('keeps every version of a type', () => {
    expect(eventTypeVersions('message.received')).toEqual([1, 2]);
    expect(findEventVersion('message.received', 1)?.dataSchema).not.toEqual(
      findEventVersion('message.received', 2)?.dataSchema,
    );
  });

  it('validates against v1 when the event names no version', () => {
    expect(validator.validate({ ...base, type: 'message.received', data: v1Data }).ok).toBe(true);
    expect(validator.validate({ ...base, type: 'message.received', data: v2Data }).ok).toBe(false);
  });

  it('validates against the version the event names', () => {
    const named = (schemaVersion: number, data: object) =>
      validator.validate({ ...base, type: 'message.received', schemaVersion, data });
    expect(named(2, v2Data).ok).toBe(true);
    expect(named(1, v1Data).ok).toBe(true);
    const refused = named(2, v1Data);
    expect(refused).toMatchObject({ ok: false, reason: 'schema_violation' });
    if (!refused.ok)
      expect(refused.message).toMatch(/^message\.received v2: data\.(from|to\.0) must be object/);
  });

  it('refuses a version the catalogue does not have, naming the ones it has', () => {
    expect(validator.validate({ ...base, type: 'message.received', schemaVersion: 3, data: v1Data })).toEqual(
      {
        ok: false,
        reason: 'unknown_version',
        message: 'message.received has no schema version 3 (catalogued: 1, 2)',
      },
    );
    expect(
      validator.validate({ ...base, type: 'lead.created', schemaVersion: 2, data: { id: 'l' } }),
    ).toMatchObject({ ok: false, reason: 'unknown_version' });
  });

  it.each([0, 1.5, '2', null])('refuses a schemaVersion of %j in the envelope', (schemaVersion) => {
    const result = validator.validate({ ...base, type: 'message.received', schemaVersion, data: v1Data });
    expect(result).toMatchObject({ ok: false, reason: 'schema_violation' });
    if (!result.ok) expect(result.message).toMatch(/^event\.schemaVersion /);
  });

  it('documents schemaVersion in the envelope schema', () => {
    expect((DOMAIN_EVENT_ENVELOPE_SCHEMA.properties as Record<string, unknown>).schemaVersion).toBeDefined();
  });
});
