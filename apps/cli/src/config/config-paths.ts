import { dirname, isAbsolute, join } from 'node:path';

/** The config file's mode: only its owner reads it, since it holds an API key. */
export const CONFIG_FILE_MODE = 0o600;
export const CONFIG_DIR_MODE = 0o700;

/**
 * `$HERALD_CONFIG` when set, else `<XDG config dir>/herald/config.json`: `$XDG_CONFIG_HOME` when it is
 * an absolute path (the XDG rule), else `~/.config`.
 */
export function configFilePath(env: Record<string, string | undefined>, home: string): string {
  if (env.HERALD_CONFIG) return env.HERALD_CONFIG;
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
  return join(base, 'herald', 'config.json');
}

/** The nearest `.herald/dev.json` from `cwd` upwards, so the CLI finds `npm run dev` from any subfolder. */
export function findDevFile(cwd: string, exists: (path: string) => boolean): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, '.herald', 'dev.json');
    if (exists(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Whether a file mode lets anyone but its owner read or write it. */
export function exposedToOthers(mode: number): boolean {
  return (mode & 0o077) !== 0;
}
