import { CliError, ExitCode } from '../output/exit-codes';

/** The flags `endpoints create` and `endpoints update` share. */
export interface EndpointFlags {
  url?: string;
  eventTypes?: string;
  description?: string;
  filter?: string;
  productProfile?: string;
  payloadProfile?: string;
  signatureScheme?: string;
  timeoutMs?: string;
  retrySchedule?: string;
  header?: string[];
  fifo?: boolean;
  disabled?: boolean;
  body?: string;
}

/** Parses a JSON flag value, naming the flag when it is not JSON. */
export function parseJsonFlag(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${flag} is not JSON: ${(error as Error).message}`, ExitCode.Usage);
  }
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The request body for create or PATCH: only what the flags set, `--body` JSON underneath them. */
export function endpointBody(flags: EndpointFlags): Record<string, unknown> {
  const base = flags.body === undefined ? {} : parseJsonFlag('--body', flags.body);
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    throw new CliError('--body must be a JSON object', ExitCode.Usage);
  }
  const body: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  if (flags.url !== undefined) body.url = flags.url;
  if (flags.eventTypes !== undefined) body.eventTypes = list(flags.eventTypes);
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.filter !== undefined) body.filter = parseJsonFlag('--filter', flags.filter);
  if (flags.productProfile !== undefined) body.productProfile = flags.productProfile;
  if (flags.payloadProfile !== undefined) body.payloadProfile = flags.payloadProfile;
  if (flags.signatureScheme !== undefined) body.signatureScheme = flags.signatureScheme;
  if (flags.timeoutMs !== undefined) {
    const ms = Number(flags.timeoutMs);
    if (!Number.isInteger(ms) || ms <= 0)
      throw new CliError('--timeout-ms must be a positive integer', ExitCode.Usage);
    body.timeoutMs = ms;
  }
  if (flags.retrySchedule !== undefined) body.retrySchedule = list(flags.retrySchedule);
  if (flags.header !== undefined && flags.header.length > 0) {
    const headers: Record<string, string> = {};
    for (const pair of flags.header) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new CliError(`--header ${pair}: expected name=value`, ExitCode.Usage);
      headers[pair.slice(0, at).trim()] = pair.slice(at + 1);
    }
    body.headers = headers;
  }
  if (flags.fifo !== undefined) body.fifo = flags.fifo;
  if (flags.disabled !== undefined) body.disabled = flags.disabled;
  return body;
}
