import { randomFillSync } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The traceparent sent to a receiver when tracing is off: the origin's trace id (so receiver logs
 * still join the producer's trace) with a fresh span id, or an entirely fresh one.
 */
export function fallbackTraceparent(origin: string | null | undefined): string {
  const match = origin ? TRACEPARENT.exec(origin) : null;
  const traceId = match && !/^0+$/.test(match[1]) ? match[1] : randomHex(16);
  return `00-${traceId}-${randomHex(8)}-00`;
}

// Ids are drawn from a pooled buffer: one random fill per 512 ids instead of a call each.
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

export function idsOfTraceparent(traceparent: string): { traceId: string | null; spanId: string | null } {
  const match = TRACEPARENT.exec(traceparent);
  return match ? { traceId: match[1], spanId: match[2] } : { traceId: null, spanId: null };
}
