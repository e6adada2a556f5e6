/**
 * What the CLI's exit status means, so scripts can branch on it without parsing messages. Documented
 * in apps/cli/README.md and the root README ("The herald CLI").
 */
export const ExitCode = {
  Ok: 0,
  /** The API refused the request (validation, conflict, limits), a server error, or a job that did not succeed. */
  Failed: 1,
  /** Bad flags or arguments, or missing configuration (no API URL, key or workspace). */
  Usage: 2,
  /** The key was missing, unknown or revoked (401), or lacks the permission (403). */
  Auth: 3,
  /** The named endpoint, delivery, job or workspace does not exist (404). */
  NotFound: 4,
  /** The API, Kafka or Postgres could not be reached. */
  Unreachable: 5,
  /** `herald doctor` found at least one problem. */
  Problems: 6,
  /** Interrupted (Ctrl-C) while following a job; the job keeps running. */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports in one line and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** The API's error code, when the API gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An HTTP status the API answered with, as an exit code. */
export function exitCodeForStatus(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.Auth;
  if (status === 404) return ExitCode.NotFound;
  return ExitCode.Failed;
}

/** Network failures that mean "nothing answered" rather than "it answered no". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Whether an error thrown by fetch (or a client) means the server could not be reached. */
export function isUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (
      name === 'TimeoutError' ||
      name === 'KafkaJSConnectionError' ||
      name === 'KafkaJSNumberOfRetriesExceeded'
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Any error as the exit code and the one line the CLI prints for it. */
export function describeFailure(error: unknown): { exitCode: ExitCodeValue; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: oneLine(error.message) };
  const message = error instanceof Error ? error.message : String(error);
  if (isUnreachable(error)) return { exitCode: ExitCode.Unreachable, message: oneLine(message) };
  return { exitCode: ExitCode.Failed, message: oneLine(message) };
}

/** Errors are one line: newlines and runs of spaces collapse, and very long text is cut. */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
