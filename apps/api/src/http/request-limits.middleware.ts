import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@herald/contracts';
import type { ApiEnv } from '../api.env';

/** Refuses over-long URLs and header floods before any route or parser runs. */
export function requestLimits(env: Pick<ApiEnv, 'HERALD_API_MAX_URL_LENGTH' | 'HERALD_API_MAX_HEADERS'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.originalUrl.length > env.HERALD_API_MAX_URL_LENGTH) {
      res.status(414).json({
        error: {
          code: ErrorCode.LimitExceeded,
          message: `URL longer than ${env.HERALD_API_MAX_URL_LENGTH} characters`,
        },
      });
      return;
    }
    if (req.rawHeaders.length / 2 > env.HERALD_API_MAX_HEADERS) {
      res.status(431).json({
        error: {
          code: ErrorCode.LimitExceeded,
          message: `more than ${env.HERALD_API_MAX_HEADERS} request headers`,
        },
      });
      return;
    }
    next();
  };
}
