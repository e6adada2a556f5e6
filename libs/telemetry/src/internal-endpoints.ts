import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@herald/contracts';
import { decideInternalAccess, type InternalExposure } from './internal-endpoints.policy';

const ON_INTERNAL_PORT = Symbol('herald.onInternalPort');
const READINESS_DETAILS = Symbol('herald.readinessDetails');

type Marked = IncomingMessage & { [ON_INTERNAL_PORT]?: boolean; [READINESS_DETAILS]?: boolean };

/** Whether this caller may read readiness error messages; false unless the gate said so. */
export function readinessDetailsAllowed(request: object): boolean {
  return (request as Marked)[READINESS_DETAILS] === true;
}

/** Express middleware applying decideInternalAccess; runs before every route, Swagger's included. */
export function internalEndpointsGate(exposure: InternalExposure) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const marked = req as unknown as Marked;
    const decision = decideInternalAccess(
      {
        path: req.path,
        onInternalPort: marked[ON_INTERNAL_PORT] === true,
        authorization: req.headers.authorization,
      },
      exposure,
    );
    if (!decision.serve) {
      if (decision.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(decision.status).json({
        error: {
          code: decision.status === 401 ? ErrorCode.Unauthenticated : ErrorCode.NotFound,
          message: decision.message,
        },
      });
      return;
    }
    marked[READINESS_DETAILS] = decision.readinessDetails;
    next();
  };
}

/**
 * A second listener on the same request handler; requests arriving on it are marked, so the gate
 * serves them only the internal paths.
 */
export async function listenInternalPort(
  handler: RequestListener,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    (req as Marked)[ON_INTERNAL_PORT] = true;
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Stops listening at once and drops open connections. */
export function closeServer(server: Server): void {
  server.close();
  server.closeAllConnections();
}
