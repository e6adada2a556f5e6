import { DomainError, ErrorCode } from '@herald/contracts';
import { registrationEventTypes } from './registration-events.policy';

describe('registrationEventTypes', () => {
  it('passes catalogue types through', () => {
    expect(registrationEventTypes(['conversation.created', 'message.*'])).toEqual([
      'conversation.created',
      'message.*',
    ]);
  });

  it('maps the GudDesk flags set to true, leaving out those set to false', () => {
    expect(
      registrationEventTypes({
        onConversationCreated: true,
        onConversationClosed: false,
        onMessageCreated: true,
      }),
    ).toEqual(['message.created', 'conversation.created']);
    expect(registrationEventTypes({ onConversationAssigned: true })).toEqual(['conversation.assigned']);
  });

  it.each([
    [[], /non-empty/],
    [[''], /non-empty/],
    [[1], /non-empty/],
    ['message.created', /list of event types/],
    [null, /list of event types/],
    [{ onMessageDeleted: true }, /unknown GudDesk event flag\(s\) onMessageDeleted/],
    [{ onMessageCreated: 'yes' }, /must be true or false/],
    [{ onMessageCreated: false }, /no GudDesk event flag/],
    [{}, /no GudDesk event flag/],
  ])('refuses %j with a 422 validation error', (events, message) => {
    let caught: unknown;
    try {
      registrationEventTypes(events);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((caught as DomainError).details?.status).toBe(422);
    expect((caught as DomainError).message).toMatch(message);
  });
});
