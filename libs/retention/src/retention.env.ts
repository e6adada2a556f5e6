import { z } from 'zod';
import { envDuration, envInt } from '@herald/config';

/**
 * Retention settings, shared by the projector (which enforces them), the API (which reads through them and bounds
 * workspace overrides) and the CLI. Helm renders the same values into the Kafka topics' retention.ms.
 */
export const retentionEnv = z
  .object({
    /** Days delivery and attempt records are kept. */
    HERALD_RETENTION_DAYS: envInt(30, 1, 3650),
    /** Days payload and response bodies are kept; at most HERALD_RETENTION_DAYS. */
    HERALD_BODY_RETENTION_DAYS: envInt(7, 1, 3650),
    /** Bounds a workspace override must stay within. */
    HERALD_RETENTION_MIN_DAYS: envInt(1, 1, 3650),
    HERALD_RETENTION_MAX_DAYS: envInt(90, 1, 3650),
    /** Daily partitions created ahead of today. */
    HERALD_PARTITIONS_AHEAD_DAYS: envInt(3, 1, 60),
    /** How often partition maintenance runs. */
    HERALD_RETENTION_INTERVAL: envDuration('1h'),
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.HERALD_RETENTION_MIN_DAYS > env.HERALD_RETENTION_MAX_DAYS) {
      issue(
        'HERALD_RETENTION_MIN_DAYS',
        `must be <= HERALD_RETENTION_MAX_DAYS (${env.HERALD_RETENTION_MAX_DAYS})`,
      );
    } else if (
      env.HERALD_RETENTION_DAYS < env.HERALD_RETENTION_MIN_DAYS ||
      env.HERALD_RETENTION_DAYS > env.HERALD_RETENTION_MAX_DAYS
    ) {
      issue(
        'HERALD_RETENTION_DAYS',
        `must be within HERALD_RETENTION_MIN_DAYS..HERALD_RETENTION_MAX_DAYS (${env.HERALD_RETENTION_MIN_DAYS}..${env.HERALD_RETENTION_MAX_DAYS})`,
      );
    }
    if (env.HERALD_BODY_RETENTION_DAYS > env.HERALD_RETENTION_DAYS) {
      issue('HERALD_BODY_RETENTION_DAYS', `must be <= HERALD_RETENTION_DAYS (${env.HERALD_RETENTION_DAYS})`);
    }
    if (env.HERALD_RETENTION_INTERVAL <= 0) issue('HERALD_RETENTION_INTERVAL', 'must be positive');
  });

export type RetentionEnv = z.infer<typeof retentionEnv>;
