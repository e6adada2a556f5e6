import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';

export interface BenchRecord {
  id: string;
  key: string;
  value: string;
}

/** Marks warm-up events, so a burst's receipts can leave them out. */
export const PROBE_MARK = 'probe_';

/** acks=all, 500 records a request, as fast as the broker takes them. */
export async function produceAll(
  producer: Producer,
  topic: string,
  records: { key: string; value: string }[],
): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    await producer.send({ topic, acks: -1, messages: records.slice(i, i + 500) });
  }
}

export function leadCreated(workspaceId: string, index: number | string): BenchRecord {
  const id = randomUUID();
  const now = new Date().toISOString();
  const data = { id: `lead_${index}`, name: 'Bench Lead', email: 'lead@example.com', createdAt: now };
  return {
    id,
    key: id,
    value: JSON.stringify({ id, type: 'lead.created', workspaceId, occurredAt: now, data }),
  };
}

export function domainEvent(workspaceId: string, index: number | string): BenchRecord {
  const id = randomUUID();
  return {
    id,
    key: id,
    value: JSON.stringify({
      id,
      type: 'message.received',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: {
        id: `msg_${index}`,
        conversationId: `cnv_${typeof index === 'number' ? index % 100 : 0}`,
        communicationType: 'sms',
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'The quick brown fox jumps over the lazy dog.',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    }),
  };
}
