import { fromUtf8, utf8 } from './bytes.js';
import { fail } from './errors.js';

/** What verify() takes: the bytes exactly as they arrived. */
export type RawBody = string | Uint8Array | ArrayBuffer;

const REPARSED =
  'the body was parsed and re-serialised; pass the raw bytes (a string, Buffer, Uint8Array or ArrayBuffer ' +
  'read before any JSON parser), see the raw-body helpers';

/** The raw bytes, or BODY_REPARSED when what was passed cannot be them (an object, nothing). */
export function rawBytes(body: unknown): Uint8Array {
  if (typeof body === 'string') return utf8(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body === undefined || body === null)
    return fail(
      'BODY_REPARSED',
      `no body was passed; ${REPARSED.replace('the body was', 'it was probably')}`,
    );
  return fail('BODY_REPARSED', `${REPARSED} (got ${Array.isArray(body) ? 'an array' : `a ${typeof body}`})`);
}

/**
 * When a signature fails, a body a JSON parser could have re-written: its compact re-serialisation
 * differs from it. The verifier then tries that compact form; if it verifies, the body was re-formatted.
 */
export function compactForm(bytes: Uint8Array): Uint8Array | null {
  const text = fromUtf8(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const compact = JSON.stringify(parsed);
  return compact === text ? null : utf8(compact);
}

/** `String(object)`: a parsed body turned back into text the naive way. */
export function isStringifiedObject(bytes: Uint8Array): boolean {
  return bytes.length === 15 && fromUtf8(bytes) === '[object Object]';
}

export function reparsed(detail: string): never {
  return fail('BODY_REPARSED', `${REPARSED}: ${detail}`);
}
