import { fail } from './errors.js';

/** Unix seconds within the tolerance of now, either way; the message says by how much it is off. */
export function checkTimestamp(raw: string, now: Date, toleranceSeconds: number, header: string): Date {
  if (!/^\d{1,15}$/.test(raw.trim()))
    fail('BAD_TIMESTAMP', `${header} is "${raw.slice(0, 40)}", not Unix seconds`);
  const seconds = Number(raw.trim());
  const offset = Math.floor(now.getTime() / 1000) - seconds;
  if (offset > toleranceSeconds)
    fail(
      'TIMESTAMP_TOO_OLD',
      `the timestamp is ${describe(offset)} old (tolerance ${describe(toleranceSeconds)}): ` +
        "a replayed request, or this server's clock is wrong",
    );
  if (-offset > toleranceSeconds)
    fail(
      'TIMESTAMP_IN_FUTURE',
      `the timestamp is ${describe(-offset)} in the future (tolerance ${describe(toleranceSeconds)}): ` +
        "this server's clock is probably behind",
    );
  return new Date(seconds * 1000);
}

/** "7 minutes", "45 seconds", "3 hours": rounded down, as a person would say it. */
export function describe(seconds: number): string {
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  if (seconds < 120) return unit(seconds, 'second');
  if (seconds < 2 * 3600) return unit(Math.floor(seconds / 60), 'minute');
  if (seconds < 2 * 86400) return unit(Math.floor(seconds / 3600), 'hour');
  return unit(Math.floor(seconds / 86400), 'day');
}
