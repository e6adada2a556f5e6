import { FAILING_THRESHOLDS, type FailingThreshold } from '@herald/contracts';

export interface FailingThresholdInput {
  /** First failed attempt of the streak (epoch ms). */
  failingSince: number;
  /** The highest level already announced in this streak. */
  announced: FailingThreshold | undefined;
  now: number;
  /** HERALD_AUTO_DISABLE_AFTER */
  windowMs: number;
}

/**
 * The `endpoint.failing` level a failed attempt announces: the highest level (50, 70, 90 % of the
 * auto-disable window) the streak has now lasted, if it is above every level announced before. Levels
 * passed between two attempts are not announced late: a warning always names the share the streak
 * really reached. Null when nothing new is crossed, or once the window is over (the endpoint is being
 * disabled, which is announced instead).
 */
export function crossedFailingThreshold(input: FailingThresholdInput): FailingThreshold | null {
  const elapsed = input.now - input.failingSince;
  if (input.windowMs <= 0 || elapsed >= input.windowMs) return null;
  let crossed: FailingThreshold | null = null;
  for (const level of FAILING_THRESHOLDS) {
    if (elapsed * 100 >= level * input.windowMs && level > (input.announced ?? 0)) crossed = level;
  }
  return crossed;
}

/** Whether the success that ends a streak is announced (`endpoint.recovered`): only after a warning. */
export function announcesRecovery(streak: { threshold?: FailingThreshold } | undefined): boolean {
  return streak?.threshold !== undefined;
}
