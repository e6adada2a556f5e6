import { DomainError, ErrorCode } from '@herald/contracts';

/** Opaque keyset cursor: the sort key of the last row of the previous page. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; deliveryId: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, deliveryId: id };
  } catch {
    throw new DomainError(ErrorCode.ValidationFailed, 'cursor is not one this API returned', {
      fields: [{ field: 'cursor', message: 'not a cursor this API returned' }],
    });
  }
}

export function parseTime(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError(ErrorCode.ValidationFailed, `${field} is not an ISO-8601 time`, {
      fields: [{ field, message: 'expected an ISO-8601 time, e.g. 2026-11-22T10:00:00Z' }],
    });
  }
  return date;
}
