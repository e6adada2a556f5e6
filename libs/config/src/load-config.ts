import { z } from 'zod';

/** Thrown at start-up; its message is one line naming the variable, meant to be printed as-is. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a schema whose keys are the variable names, so the names a
 * service reads are greppable and the Helm chart consistency test can list them.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue.path.join('.');
  const value = env[variable];
  const shown =
    value === undefined ? 'is missing' : `is invalid (${JSON.stringify(redactIfSecret(variable, value))})`;
  throw new ConfigError(`Configuration error: ${variable} ${shown}: ${issue.message}`);
}

function redactIfSecret(name: string, value: string): string {
  return /KEY|TOKEN|PASSWORD|SECRET|URL/i.test(name) ? '<redacted>' : value;
}
