import { DEFAULT_DOMAIN_TOPICS } from '../topics';

/**
 * The default domain topic each catalogued type is produced to, by the product domain its prefix
 * names. Messaging events around a message (reactions, receipts, typing) travel with the messages.
 * The router reads every domain topic, so this only decides where a producer (or `herald events
 * send`) puts an event when nothing else says.
 */
const TOPIC_BY_PREFIX: Readonly<Record<string, (typeof DEFAULT_DOMAIN_TOPICS)[number]>> = {
  message: 'domain.messages',
  reaction: 'domain.messages',
  receipt: 'domain.messages',
  typing: 'domain.messages',
  conversation: 'domain.conversations',
  lead: 'domain.leads',
  contact: 'domain.contacts',
};

/** `message.received` -> `domain.messages`; undefined for a type outside the four domains. */
export function domainTopicFor(type: string): string | undefined {
  const prefix = type.split('.', 1)[0];
  return Object.hasOwn(TOPIC_BY_PREFIX, prefix) ? TOPIC_BY_PREFIX[prefix] : undefined;
}
