import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The traceparent sent to a receiver when tracing is off: the origin's trace id (so receiver logs
 * still join the producer's trace) with a fresh span id, or an entirely fresh one.
 */
export function fallbackTraceparent(origin: string | null | undefined): string {
  const match = origin ? TRACEPARENT.exec(origin) : null;
  const traceId = match && !/^0+$/.test(match[1]) ? match[1] : randomBytes(16).toString('hex');
  return `00-${traceId}-${randomBytes(8).toString('hex')}-00`;
}

export function idsOfTraceparent(traceparent: string): { traceId: string | null; spanId: string | null } {
  const match = TRACEPARENT.exec(traceparent);
  return match ? { traceId: match[1], spanId: match[2] } : { traceId: null, spanId: null };
}
