import { Topics } from '@herald/contracts';

/**
 * What the projections are built from. A delivery's status comes from its attempts, so neither the
 * dead-letter topic nor retry-tier traffic adds anything the attempts do not already carry.
 */
export const PROJECTED_TOPICS: readonly string[] = [
  Topics.subscriptions,
  Topics.deliveries,
  Topics.attempts,
  Topics.operational,
];

/** Topics a rebuild replays (endpoints are owned by the API and are not truncated). */
export const REBUILT_TOPICS: readonly string[] = [Topics.deliveries, Topics.attempts, Topics.operational];
