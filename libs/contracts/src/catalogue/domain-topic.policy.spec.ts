import { DEFAULT_DOMAIN_TOPICS } from '../topics';
import { EVENT_TYPES, eventFamily } from './event-catalogue';
import { domainTopicFor } from './domain-topic.policy';

describe('domainTopicFor', () => {
  it('puts every catalogued domain type on one of the default domain topics', () => {
    for (const type of EVENT_TYPES.filter((t) => eventFamily(t) === 'domain')) {
      expect(DEFAULT_DOMAIN_TOPICS).toContain(domainTopicFor(type));
    }
  });

  it('follows the product domain of the prefix', () => {
    expect(domainTopicFor('message.received')).toBe('domain.messages');
    expect(domainTopicFor('typing.started')).toBe('domain.messages');
    expect(domainTopicFor('conversation.closed')).toBe('domain.conversations');
    expect(domainTopicFor('lead.deleted')).toBe('domain.leads');
    expect(domainTopicFor('contact.updated')).toBe('domain.contacts');
  });

  it('knows no topic for a type outside the domains', () => {
    expect(domainTopicFor('invoice.paid')).toBeUndefined();
    expect(domainTopicFor('constructor.x')).toBeUndefined();
    // Herald emits the operational types itself, to its own topic.
    expect(domainTopicFor('endpoint.failing')).toBeUndefined();
    expect(domainTopicFor('delivery.exhausted')).toBeUndefined();
  });
});
