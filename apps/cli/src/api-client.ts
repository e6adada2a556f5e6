import { CliError, ExitCode, exitCodeForStatus, isUnreachable } from './output/exit-codes';

export type Query = Record<string, string | number | boolean | undefined>;

/** The API's error body: `{ error: { code, message, fields? } }`. */
interface ErrorBody {
  error?: { code?: string; message?: string; fields?: { field: string; message: string }[] };
}

/** One line for an API refusal: status, code, message and the fields it names. */
export function describeApiError(status: number, body: unknown): { message: string; code?: string } {
  const error = (body as ErrorBody | undefined)?.error;
  if (!error?.message) {
    const text = typeof body === 'string' && body ? `: ${body}` : '';
    return { message: `the API answered ${status}${text}` };
  }
  const fields = (error.fields ?? []).map((field) => `${field.field} ${field.message}`).join('; ');
  return {
    message:
      `${error.message}${fields && !error.message.includes(fields) ? ` (${fields})` : ''} [${status} ${error.code ?? ''}]`.replace(
        ' ]',
        ']',
      ),
    code: error.code,
  };
}

/** A thin client of the management API that turns every failure into a CliError. */
export class HeraldApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  async request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      if (isUnreachable(error)) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        throw new CliError(`cannot reach the API at ${this.baseUrl} (${cause})`, ExitCode.Unreachable);
      }
      // fetch refuses some URLs before connecting (a blocked port, a bad scheme): a setting to fix.
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      if (error instanceof TypeError && cause) {
        throw new CliError(`cannot call the API at ${this.baseUrl}: ${cause}`, ExitCode.Usage);
      }
      throw error;
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!response.ok) {
      const { message, code } = describeApiError(response.status, body);
      throw new CliError(message, exitCodeForStatus(response.status), code);
    }
    return body as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }
}
