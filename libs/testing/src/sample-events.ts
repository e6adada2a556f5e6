import { randomUUID } from 'node:crypto';

/**
 * A `message.received` domain event as a producing system would publish it: an SMS in conversation
 * cnv_1. `data` adds to (or replaces) the message fields the test cares about.
 */
export function sampleMessageReceived(
  workspaceId: string,
  options: { id?: string; data?: Record<string, unknown> } = {},
) {
  const id = options.id ?? randomUUID();
  return {
    id,
    type: 'message.received',
    workspaceId,
    occurredAt: new Date().toISOString(),
    data: {
      id: `msg_${id.slice(0, 8)}`,
      conversationId: 'cnv_1',
      communicationType: 'sms',
      ...options.data,
    },
  };
}
