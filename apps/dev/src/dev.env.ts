import { z } from 'zod';
import { envInt, envPort } from '@herald/config';

/** Settings of the embedded default (`npm run dev`). */
export const devEnv = z.object({
  HERALD_HTTP_PORT: envPort(3000),
  /** Fixed admin token for tools that attach; a random one is generated otherwise. */
  HERALD_ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  HERALD_DEV_EVENTS_PER_SECOND: z.coerce.number().min(0).max(1000).default(2),
  HERALD_DEV_RECEIVER_PORT: envPort(0),
  /** Kafka nodes to start: one is enough to develop against; three to try replication. */
  HERALD_DEV_BROKERS: envInt(1, 1, 3),
});

export type DevEnv = z.infer<typeof devEnv>;
