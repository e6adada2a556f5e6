import { findEventType } from './event-catalogue';
import {
  GUDDESK_EVENT_FLAGS,
  fromGudDeskEventFlags,
  isGudDeskEventFlag,
  toGudDeskEventFlags,
  unknownGudDeskEventFlags,
} from './guddesk-event-names';

describe('GudDesk event names', () => {
  it('maps each documented flag to its catalogue type', () => {
    expect(
      fromGudDeskEventFlags({
        onMessageCreated: true,
        onConversationCreated: true,
        onConversationClosed: true,
        onConversationAssigned: true,
      }),
    ).toEqual(['message.created', 'conversation.created', 'conversation.closed', 'conversation.assigned']);
  });

  it('keeps only the flags set to true', () => {
    expect(fromGudDeskEventFlags({ onMessageCreated: true, onConversationCreated: false })).toEqual([
      'message.created',
    ]);
    expect(fromGudDeskEventFlags({ onMessageCreated: 'yes' })).toEqual([]);
  });

  it('names flags GudDesk does not document', () => {
    expect(unknownGudDeskEventFlags({ onMessageCreated: true, onLeadCreated: true })).toEqual([
      'onLeadCreated',
    ]);
    expect(fromGudDeskEventFlags({ onLeadCreated: true, toString: true })).toEqual([]);
    expect(isGudDeskEventFlag('toString')).toBe(false);
  });

  it('maps catalogue types back to flags, skipping types GudDesk has no flag for', () => {
    expect(toGudDeskEventFlags(['conversation.closed', 'message.created', 'lead.created'])).toEqual({
      onMessageCreated: true,
      onConversationClosed: true,
    });
  });

  it('round-trips every flag', () => {
    const all = Object.fromEntries(Object.keys(GUDDESK_EVENT_FLAGS).map((flag) => [flag, true]));
    expect(toGudDeskEventFlags(fromGudDeskEventFlags(all))).toEqual(all);
  });

  it('every type it maps to is in the catalogue', () => {
    for (const type of Object.values(GUDDESK_EVENT_FLAGS)) expect(findEventType(type)).toBeDefined();
  });
});
