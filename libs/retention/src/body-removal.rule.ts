import { bodyRemovedAt, readCutoffs, type EffectiveRetention } from './retention.policy';

export type BodyRemovalReason = 'purged' | 'retention';

export interface BodyRemoval {
  reason: BodyRemovalReason;
  at: Date;
}

/**
 * Why a stored body (a payload, a response) is not shown, or null when it is shown or there never was
 * one. A purge marker wins; then a body past the workspace's body retention counts as removed whether or
 * not maintenance has deleted it yet, so the API answers the same before and after the sweep.
 */
export function bodyRemoval(
  body: { createdAt: Date; purged: BodyRemoval | null },
  effective: EffectiveRetention,
  now: Date,
): BodyRemoval | null {
  if (body.purged) return body.purged;
  if (body.createdAt.getTime() < readCutoffs(effective, now).bodiesSince.getTime()) {
    return { reason: 'retention', at: bodyRemovedAt(body.createdAt, effective) };
  }
  return null;
}
