import { z } from 'zod';

/** Where a setting came from, highest precedence first. */
export type ConfigSource = 'flag' | 'env' | 'config' | 'dev';

/** What the commands connect with. Each field is resolved on its own. */
export interface CliSettings {
  apiUrl?: string;
  apiKey?: string;
  workspaceId?: string;
  kafkaBrokers?: string[];
  databaseUrl?: string;
  adminToken?: string;
}

export type SettingName = keyof CliSettings;

export interface ResolvedSettings extends CliSettings {
  sources: Partial<Record<SettingName, ConfigSource>>;
}

/** The environment variables each setting reads (the services' own names where they have one). */
export const SETTING_ENV: Record<SettingName, string> = {
  apiUrl: 'HERALD_API_URL',
  apiKey: 'HERALD_API_KEY',
  workspaceId: 'HERALD_WORKSPACE',
  kafkaBrokers: 'KAFKA_BROKERS',
  databaseUrl: 'DATABASE_URL',
  adminToken: 'HERALD_ADMIN_TOKEN',
};

const SETTING_NAMES = Object.keys(SETTING_ENV) as SettingName[];

/** `herald login` writes this file; every field is optional so a partial file still reads. */
export const configFileSchema = z.object({
  apiUrl: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  workspaceId: z.string().min(1).optional(),
  kafkaBrokers: z.array(z.string().min(1)).optional(),
  databaseUrl: z.string().min(1).optional(),
});

/** What `npm run dev` writes to .herald/dev.json (apps/dev/src/main.ts). */
export const devFileSchema = z.object({
  apiUrl: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  workspaceId: z.string().min(1).optional(),
  kafkaBrokers: z.array(z.string().min(1)).optional(),
  databaseUrl: z.string().min(1).optional(),
  adminToken: z.string().min(1).optional(),
});

export function parseBrokers(text: string): string[] {
  return text
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/**
 * Flags over environment over the config file over .herald/dev.json, field by field: `--api-url`
 * alone still takes the key from the config file.
 */
export function resolveSettings(layers: {
  flags: CliSettings;
  env: Record<string, string | undefined>;
  file?: CliSettings;
  dev?: CliSettings;
}): ResolvedSettings {
  const fromEnv: CliSettings = {};
  for (const name of SETTING_NAMES) {
    const raw = layers.env[SETTING_ENV[name]]?.trim();
    if (!raw) continue;
    if (name === 'kafkaBrokers') fromEnv.kafkaBrokers = parseBrokers(raw);
    else fromEnv[name] = raw;
  }
  const ordered: [ConfigSource, CliSettings | undefined][] = [
    ['flag', layers.flags],
    ['env', fromEnv],
    ['config', layers.file],
    ['dev', layers.dev],
  ];
  const resolved: ResolvedSettings = { sources: {} };
  for (const name of SETTING_NAMES) {
    for (const [source, layer] of ordered) {
      const value = layer?.[name];
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
      (resolved as unknown as Record<string, unknown>)[name] = value;
      resolved.sources[name] = source;
      break;
    }
  }
  if (resolved.apiUrl) resolved.apiUrl = resolved.apiUrl.replace(/\/+$/, '');
  return resolved;
}
