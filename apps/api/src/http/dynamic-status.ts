import { SetMetadata } from '@nestjs/common';
import type { Response } from 'express';

export const DYNAMIC_STATUS = 'heraldDynamicStatus';

/**
 * For routes whose status depends on the outcome (201 created vs 200 existing). Such a handler takes
 * `@Res()` and calls `replyWith`; the response interceptor sends it, after storing it for idempotency.
 */
export const DynamicStatus = () => SetMetadata(DYNAMIC_STATUS, true);

export interface PendingReply {
  status: number;
  body: unknown;
}

export function replyWith(res: Response, status: number, body: unknown): void {
  (res.locals as { heraldReply?: PendingReply }).heraldReply = { status, body };
}

export function pendingReply(res: Response): PendingReply | undefined {
  return (res.locals as { heraldReply?: PendingReply }).heraldReply;
}
