/**
 * Line scoping (Messages.dev: each webhook belongs to one line). An endpoint with a `line` takes only
 * events whose `data.lineId` (the catalogue's line field on messages, conversations and leads) equals
 * it; an endpoint without one takes every line, and an event without a line reaches only those.
 */
export function eventLine(event: { data?: unknown }): string | undefined {
  const data = event.data;
  if (data === null || typeof data !== 'object') return undefined;
  const line = (data as { lineId?: unknown }).lineId;
  return typeof line === 'string' ? line : undefined;
}

/** Whether an endpoint scoped to `line` (null or absent: every line) takes an event on `eventLine`. */
export function onLine(line: string | null | undefined, eventLineId: string | undefined): boolean {
  return line == null || line === eventLineId;
}
