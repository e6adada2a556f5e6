import { DomainError, ErrorCode } from './domain-error';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** Parses `250ms`, `5s`, `5m`, `2h`, `7d`. Plain digits are milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = DURATION.exec(trimmed);
  if (!match) {
    throw new DomainError(
      ErrorCode.InvalidDuration,
      `"${text}" is not a duration (use e.g. 500ms, 5s, 5m, 2h, 1d)`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** The shortest exact label: 300000 -> `5m`, 1500 -> `1500ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
