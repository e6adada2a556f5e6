import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@herald/contracts';

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra'];
const LINES = ['+17025550100', '+17025550101'];
const CHANNELS = ['sms', 'email', 'whatsapp'] as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const id = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

/** Sample domain events for the demo producer, one topic per product domain. */
export function sampleEvent(workspaceId: string): { topic: string; event: DomainEvent } {
  const now = new Date().toISOString();
  const base = { id: randomUUID(), workspaceId, occurredAt: now };
  const conversationId = id('cnv');
  const roll = Math.random();
  if (roll < 0.45) {
    const outbound = Math.random() < 0.4;
    return {
      topic: 'domain.messages',
      event: {
        ...base,
        type: outbound ? 'message.sent' : 'message.received',
        data: {
          id: id('msg'),
          conversationId,
          communicationType: pick(CHANNELS),
          from: outbound ? pick(LINES) : '+17025551111',
          to: [outbound ? '+17025551111' : pick(LINES)],
          text: 'The quick brown fox jumps over the lazy dog.',
          outbound,
          createdAt: now,
        },
      },
    };
  }
  if (roll < 0.65) {
    const type = pick([
      'conversation.created',
      'conversation.updated',
      'conversation.closed',
      'conversation.assigned',
    ]);
    return {
      topic: 'domain.conversations',
      event: {
        ...base,
        type,
        data: {
          id: conversationId,
          status: type === 'conversation.closed' ? 'closed' : 'open',
          channel: pick(CHANNELS),
          assigneeId: id('usr'),
          createdAt: now,
        },
      },
    };
  }
  if (roll < 0.85) {
    const type = pick(['lead.created', 'lead.updated']);
    return {
      topic: 'domain.leads',
      event: {
        ...base,
        type,
        data: {
          id: id('lead'),
          name: pick(NAMES),
          email: 'lead@example.com',
          source: 'website',
          status: 'new',
          createdAt: now,
        },
      },
    };
  }
  const type = pick(['contact.created', 'contact.updated']);
  return {
    topic: 'domain.contacts',
    event: {
      ...base,
      type,
      data: {
        id: id('ctc'),
        name: pick(NAMES),
        phone: '+17025551111',
        email: 'contact@example.com',
        createdAt: now,
      },
    },
  };
}
