import { z } from 'zod';
import { envInt } from '@herald/config';

export const projectorEnv = z.object({
  HERALD_PROJECTOR_GROUP: z.string().min(1).default('herald-projector'),
  HERALD_PROJECTOR_CONCURRENCY: envInt(4, 1, 64),
});

export type ProjectorEnv = z.infer<typeof projectorEnv>;
