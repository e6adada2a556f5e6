import { getToken } from '../session';

/** One line from the API's error body `{ error: { code, message, fields? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: { field: string; message: string }[] };
}

function describe(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  if (!error?.message) return new ApiError(status, 'HTTP_' + status, `The API answered ${status}`);
  const fields = error.fields?.length
    ? ': ' + error.fields.map((f) => `${f.field} ${f.message}`).join('; ')
    : '';
  const message = error.message.includes(fields.slice(2)) ? error.message : error.message + fields;
  return new ApiError(status, error.code ?? 'HTTP_' + status, message);
}

export const UNAUTHORIZED_EVENT = 'herald:unauthorized';

export type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls the API on this origin with the session's bearer token; throws ApiError on any non-2xx. */
export async function api<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The API could not be reached');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    const error = describe(res.status, parsed);
    // A token that expired, was revoked or never worked ends the session wherever it is noticed.
    if (res.status === 401) dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT, { detail: error }));
    throw error;
  }
  return parsed as T;
}

export const wsPath = (ws: string, rest = '') => `/v1/workspaces/${encodeURIComponent(ws)}${rest}`;

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
