import { concat } from '../bytes.js';
import { WebhookVerificationError } from '../errors.js';

/** The parts of a Node request (Express, Fastify's raw, Nest's) used here: a readable stream. */
export interface NodeRequestLike {
  headers: Record<string, string | string[] | undefined>;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly readableEnded?: boolean;
  /** Set by NestFactory.create(..., { rawBody: true }), by fastifyRawBody, or by our own reading. */
  rawBody?: Uint8Array | string;
  body?: unknown;
}

/** Largest body read here; Herald's payloads are far smaller. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * The request's raw bytes: `rawBody` if a framework kept it, a Buffer/string `body` (express.raw,
 * express.text), or the stream itself when nothing has read it yet. A body parsed by a JSON parser
 * with no raw copy kept is BODY_REPARSED: the original bytes are gone.
 */
export async function readRawBody(
  req: NodeRequestLike,
  limit = MAX_BODY_BYTES,
): Promise<Uint8Array | string> {
  if (req.rawBody instanceof Uint8Array || typeof req.rawBody === 'string') return req.rawBody;
  if (req.body instanceof Uint8Array || typeof req.body === 'string') return req.body;
  if (req.readableEnded || (req.body !== undefined && req.body !== null))
    throw new WebhookVerificationError(
      'BODY_REPARSED',
      'the body was parsed and re-serialised; pass the raw bytes: mount express.raw({ type: "application/json" }) ' +
        "(or this package's middleware) before any JSON parser on the webhook route, or create the Nest app with { rawBody: true }",
    );
  const chunks: Uint8Array[] = [];
  let size = 0;
  const bytes = await new Promise<Uint8Array>((resolve, reject) => {
    req.on('data', (chunk) => {
      const part = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += part.length;
      if (size > limit) reject(new RangeError(`webhook body over ${limit} bytes`));
      else chunks.push(part);
    });
    req.on('end', () => resolve(concat(...chunks)));
    req.on('error', reject);
  });
  req.rawBody = bytes;
  return bytes;
}
