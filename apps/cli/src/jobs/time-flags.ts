import { parseDuration } from '@herald/contracts';
import { CliError, ExitCode } from '../output/exit-codes';

/**
 * A `--since`/`--until` value: an ISO-8601 time as given, or a duration with a unit (`90m`, `2h`,
 * `1d`) meaning that long before `now`.
 */
export function resolveTimeFlag(flag: string, text: string, now: Date): string {
  const trimmed = text.trim();
  if (/^\d+(ms|s|m|h|d)$/.test(trimmed))
    return new Date(now.getTime() - parseDuration(trimmed)).toISOString();
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return trimmed;
  throw new CliError(
    `${flag} "${text}" is neither an ISO-8601 time nor a duration such as 30m, 2h or 1d`,
    ExitCode.Usage,
  );
}
