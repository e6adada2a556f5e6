import { cell, paintStatus, type Colors } from './format';

/** The fields of a delivery the CLI shows (GET .../deliveries answers more). */
export interface DeliverySummary {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  trigger: string | null;
  test: boolean;
  attemptCount: number;
  createdAt: string;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  nextAttemptAt: string | null;
}

/** `HH:MM:SS` of an ISO time, UTC, so lines from different machines line up. */
export function clock(iso: string | null): string {
  if (!iso) return '--:--:--';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toISOString().slice(11, 19);
}

/** What the latest attempt did: its status code, or that none was made yet. */
export function attemptStatus(delivery: DeliverySummary): string {
  if (delivery.attemptCount === 0) return 'no attempt yet';
  const answer = delivery.lastResponseStatus === null ? 'no response' : `HTTP ${delivery.lastResponseStatus}`;
  const next =
    delivery.status === 'retrying' && delivery.nextAttemptAt ? `, next ${clock(delivery.nextAttemptAt)}` : '';
  return `attempt ${delivery.attemptCount}: ${answer}${next}`;
}

/** Wide enough for every catalogued type (conversation.assigned), so columns line up. */
const EVENT_TYPE_WIDTH = 21;

/** One line per delivery state, as `deliveries tail` prints it. */
export function renderDeliveryLine(delivery: DeliverySummary, colors: Colors): string {
  const status = paintStatus(delivery.status.padEnd(9), colors);
  const trigger = delivery.trigger && delivery.trigger !== 'event' ? ` [${delivery.trigger}]` : '';
  const test = delivery.test ? ' [test]' : '';
  return (
    `${clock(delivery.lastAttemptAt ?? delivery.createdAt)}  ${status}  ${colors.cyan(delivery.eventType.padEnd(EVENT_TYPE_WIDTH))}` +
    `  ${attemptStatus(delivery)}  ${colors.dim(`${delivery.id} -> ${delivery.endpointId}`)}${trigger}${test}`
  );
}

export const DELIVERY_COLUMNS = [
  { header: 'id', value: (d: DeliverySummary) => d.id },
  { header: 'status', value: (d: DeliverySummary) => d.status },
  { header: 'event type', value: (d: DeliverySummary) => d.eventType },
  { header: 'endpoint', value: (d: DeliverySummary) => d.endpointId },
  { header: 'attempts', value: (d: DeliverySummary) => d.attemptCount },
  { header: 'last status', value: (d: DeliverySummary) => d.lastResponseStatus },
  { header: 'created', value: (d: DeliverySummary) => d.createdAt },
  { header: 'trigger', value: (d: DeliverySummary) => cell(d.trigger) + (d.test ? ' (test)' : '') },
];
