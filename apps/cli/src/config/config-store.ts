import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { CliError, ExitCode } from '../output/exit-codes';
import {
  configFileSchema,
  devFileSchema,
  resolveSettings,
  type CliSettings,
  type ResolvedSettings,
} from './cli-config';
import {
  CONFIG_DIR_MODE,
  CONFIG_FILE_MODE,
  configFilePath,
  exposedToOthers,
  findDevFile,
} from './config-paths';

export type StoredConfig = z.infer<typeof configFileSchema>;

export function currentConfigPath(): string {
  return configFilePath(process.env, homedir());
}

function readJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${what} ${path} is not readable JSON: ${(error as Error).message}`, ExitCode.Usage);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CliError(`${what} ${path}: ${issue.path.join('.')} ${issue.message}`, ExitCode.Usage);
  }
  return result.data;
}

export function readStoredConfig(path = currentConfigPath()): StoredConfig | undefined {
  if (!existsSync(path)) return undefined;
  if (exposedToOthers(statSync(path).mode)) {
    // It holds an API key; still read, since refusing would lock the user out of their own setup.
    process.stderr.write(`herald: warning: ${path} is readable by others; run chmod 600 on it\n`);
  }
  return readJson(path, configFileSchema, 'config file');
}

/** Writes atomically with mode 0600 in a 0700 directory, also tightening ones that already existed. */
export function writeStoredConfig(config: StoredConfig, path = currentConfigPath()): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: CONFIG_DIR_MODE });
  if (exposedToOthers(statSync(dir).mode)) chmodSync(dir, CONFIG_DIR_MODE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(config, null, 2) + '\n', { mode: CONFIG_FILE_MODE });
  chmodSync(temporary, CONFIG_FILE_MODE);
  renameSync(temporary, path);
}

export function readDevFile(cwd = process.cwd()): { path: string; settings: CliSettings } | undefined {
  const path = findDevFile(cwd, existsSync);
  if (!path) return undefined;
  return { path, settings: readJson(path, devFileSchema, 'dev file') };
}

/** Every layer read from where it lives, then resolved. */
export function loadSettings(flags: CliSettings): ResolvedSettings {
  return resolveSettings({
    flags,
    env: process.env,
    file: readStoredConfig(),
    dev: readDevFile()?.settings,
  });
}

/** A setting a command cannot do without, with what to do when it is missing. */
export function required<K extends keyof CliSettings>(
  settings: ResolvedSettings,
  name: K,
  hint: string,
): NonNullable<CliSettings[K]> {
  const value = settings[name];
  if (value === undefined) throw new CliError(`no ${hint}`, ExitCode.Usage);
  return value as NonNullable<CliSettings[K]>;
}
