import { z } from 'zod';
import { DEFAULT_DOMAIN_TOPICS } from '@herald/contracts';
import { envInt, envList } from '@herald/config';

/** What `create-topics` creates on a real cluster. */
export const topicsEnv = z.object({
  HERALD_DOMAIN_TOPICS: envList(DEFAULT_DOMAIN_TOPICS),
  HERALD_RETRY_TIERS: envList(['5s', '1m', '5m', '30m', '2h', '5h', '10h', '24h']),
  HERALD_TOPIC_PARTITIONS: envInt(12, 1, 10_000),
});
