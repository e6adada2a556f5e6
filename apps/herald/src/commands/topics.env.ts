import { z } from 'zod';
import { DEFAULT_DOMAIN_TOPICS } from '@herald/contracts';
import { envInt, envList } from '@herald/config';

/** One topic as HERALD_TOPIC_SPECS lists it. */
export interface TopicSpecFromEnv {
  topic: string;
  partitions: number;
  /** Unset: the broker's default.replication.factor. */
  replicationFactor?: number;
  configEntries: Record<string, string>;
}

const VARIABLE = 'HERALD_TOPIC_SPECS';
/** Kafka's own rule: 1 to 249 of these characters, and not "." or "..". */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
/** A missing field says so; a wrong one says what it should be. */
const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;
const positiveInt = () =>
  z
    .number({ error: expected('a positive integer') })
    .int({ error: 'must be a positive integer' })
    .min(1, { error: 'must be a positive integer' });

const topicSpecItem = z.strictObject(
  {
    topic: z
      .string({ error: expected('a string') })
      .refine((name) => TOPIC_NAME.test(name) && name !== '.' && name !== '..', {
        error: 'is not a valid topic name (1 to 249 of A-Z a-z 0-9 . _ -)',
      }),
    partitions: positiveInt(),
    replicationFactor: positiveInt().optional(),
    configEntries: z
      .record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be an object of strings' })
      .default({}),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object') },
);

/** `HERALD_TOPIC_SPECS[2].configEntries["retention.ms"]` for a zod path inside the list. */
function where(path: readonly PropertyKey[]): string {
  let text = VARIABLE;
  path.forEach((key, depth) => {
    if (typeof key === 'number') text += `[${key}]`;
    else if (depth === 1) text += `.${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  });
  return text;
}

/**
 * HERALD_TOPIC_SPECS: every topic create-topics should make, with its own partitions, replication
 * factor and configs, as JSON (the Helm chart renders it from its values):
 *   [{"topic":"herald.deliveries","partitions":24,"replicationFactor":3,
 *     "configEntries":{"cleanup.policy":"delete","retention.ms":"604800000"}}, ...]
 * Unset or blank: create-topics derives the list from the variables below.
 */
const topicSpecs = z
  .string()
  .optional()
  .transform((text, ctx): TopicSpecFromEnv[] | undefined => {
    if (text === undefined || text.trim() === '') return undefined;
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return fail(`${VARIABLE} is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) {
      return fail(
        `${VARIABLE} must be a non-empty JSON array of {topic, partitions, replicationFactor?, configEntries?}`,
      );
    }
    const result = z.array(topicSpecItem).safeParse(parsed);
    if (!result.success) {
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          fail(`${where(issue.path)} has unknown field(s) ${issue.keys.join(', ')}`);
        } else {
          fail(`${where(issue.path)} ${issue.message}`);
        }
      }
      return z.NEVER;
    }
    const firstIndex = new Map<string, number>();
    let repeated = false;
    result.data.forEach(({ topic }, index) => {
      const first = firstIndex.get(topic);
      if (first === undefined) {
        firstIndex.set(topic, index);
      } else {
        repeated = true;
        fail(`${where([index, 'topic'])} repeats ${topic}, already listed at ${where([first])}`);
      }
    });
    return repeated ? z.NEVER : result.data;
  });

/** What `create-topics` creates on a real cluster. */
export const topicsEnv = z.object({
  /** When set, exactly these topics; the three variables below are then not used. */
  HERALD_TOPIC_SPECS: topicSpecs,
  HERALD_DOMAIN_TOPICS: envList(DEFAULT_DOMAIN_TOPICS),
  HERALD_RETRY_TIERS: envList(['5s', '1m', '5m', '30m', '2h', '5h', '10h', '24h']),
  HERALD_TOPIC_PARTITIONS: envInt(12, 1, 10_000),
});

export type TopicsEnv = z.infer<typeof topicsEnv>;
