import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';

export type LeadCreated = ReturnType<typeof leadCreated>;

/** A `lead.created` domain event of `workspaceId`, as the leads product publishes it. */
export function leadCreated(workspaceId: string) {
  const id = randomUUID();
  return {
    id,
    type: 'lead.created',
    workspaceId,
    occurredAt: new Date().toISOString(),
    data: { id: `lead_${id.slice(0, 6)}`, visitor_name: 'Ada', visitor_email: 'ada@example.com' },
  };
}

/** Publishes the events to `domain.leads`, keyed by event id. */
export async function produceLeads(producer: Producer, events: LeadCreated[]): Promise<void> {
  await producer.send({
    topic: 'domain.leads',
    messages: events.map((event) => ({ key: event.id, value: JSON.stringify(event) })),
  });
}
