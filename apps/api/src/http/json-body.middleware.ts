import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { ErrorCode } from '@herald/contracts';
import type { ApiEnv } from '../api.env';
import { bodyProblem, jsonDepthExceeds } from './json-body.policy';

/** The code a 415 carries; a transport answer, not a domain error. */
export const UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE';

const TOO_DEEP = 'herald.body.too.deep';
const JSON_TYPES = ['application/json', 'application/*+json'];

function refuse(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ error: { code, message, ...(field ? { fields: [{ field, message }] } : {}) } });
}

/** A request carries a body unless it says it has none (no Transfer-Encoding, Content-Length 0 or absent). */
function carriesBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * The API's only body parser: JSON, nothing else (no form parsers, so no extended-qs objects). A body of
 * another type is a 415; nesting deeper than HERALD_API_MAX_JSON_DEPTH, or a key in FORBIDDEN_KEYS
 * anywhere, is a 400 naming the problem, so nothing is silently dropped later when the body is copied
 * into DTOs; so is text PostgreSQL would refuse (U+0000) or alter (a lone surrogate).
 */
export function jsonBody(
  env: Pick<ApiEnv, 'HERALD_API_MAX_BODY_BYTES' | 'HERALD_API_MAX_JSON_DEPTH'>,
): RequestHandler {
  const maxDepth = env.HERALD_API_MAX_JSON_DEPTH;
  const parse = json({
    limit: env.HERALD_API_MAX_BODY_BYTES,
    type: JSON_TYPES,
    verify: (_req, _res, buffer, encoding) => {
      if (jsonDepthExceeds(buffer.toString((encoding as BufferEncoding) || 'utf8'), maxDepth)) {
        throw Object.assign(new Error('too deep'), { type: TOO_DEEP });
      }
    },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!carriesBody(req)) return next();
    if (!req.is(JSON_TYPES)) {
      const sent = req.headers['content-type'];
      return refuse(
        res,
        415,
        UNSUPPORTED_MEDIA_TYPE,
        `the API takes JSON only: send Content-Type: application/json${sent ? ` (got ${sent.slice(0, 100)})` : ''}`,
      );
    }
    parse(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === TOO_DEEP) {
        return refuse(
          res,
          400,
          ErrorCode.ValidationFailed,
          `request body nests objects and arrays deeper than ${maxDepth} levels`,
        );
      }
      if (error) return next(error);
      const problem = bodyProblem(req.body);
      if (problem?.kind === 'forbidden-key') {
        return refuse(
          res,
          400,
          ErrorCode.ValidationFailed,
          `request body key ${JSON.stringify(problem.path)} is not allowed: __proto__, constructor, ` +
            'prototype and the other Object.prototype names (toString, hasOwnProperty, ...) are refused as keys',
          problem.path,
        );
      }
      if (problem) {
        return refuse(
          res,
          400,
          ErrorCode.ValidationFailed,
          `request body ${problem.path ? `at ${JSON.stringify(problem.path)} ` : ''}holds U+0000 or an ` +
            'unpaired surrogate, which cannot be stored as sent',
          problem.path || undefined,
        );
      }
      next();
    });
  };
}
