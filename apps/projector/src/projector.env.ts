import { z } from 'zod';
import { envInt } from '@herald/config';

export const projectorEnv = z.object({
  /** The live projector's consumer group; a rebuild always uses a fresh one. */
  HERALD_PROJECTOR_GROUP: z.string().min(1).default('herald-projector'),
  /** Partitions projected at once; batches of different partitions run in parallel. */
  HERALD_PROJECTOR_CONCURRENCY: envInt(4, 1, 64),
});

export type ProjectorEnv = z.infer<typeof projectorEnv>;
export const PROJECTOR_GROUP = Symbol('PROJECTOR_GROUP');
