import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** `Herald/<version>` from the nearest package.json named herald (works from sources and from dist/). */
export function heraldUserAgent(): string {
  if (cached) return cached;
  let version = process.env.HERALD_VERSION ?? '';
  for (let dir = __dirname; !version && dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'herald' && pkg.version) version = pkg.version;
    } catch {
      // unreadable package.json: keep looking upwards
    }
  }
  cached = `Herald/${version || '0.0.0'}`;
  return cached;
}
