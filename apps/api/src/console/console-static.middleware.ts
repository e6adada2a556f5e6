import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@herald/contracts';
import {
  cacheControlOf,
  consoleSecurityHeaders,
  contentTypeOf,
  decideConsolePath,
  isPortalPath,
} from './console-files.policy';

/** Where `npm run build` puts the console: dist/console, four levels above dist/apps/api/src/console. */
export const BUILT_CONSOLE_DIR = join(__dirname, '..', '..', '..', '..', 'console');

export interface ConsoleStaticOptions {
  directory: string;
  /** The allowed frame origins of the portal link a portal page names (`?link=<id>`), if any. */
  portalFrameOrigins?: (linkId: string) => Promise<readonly string[] | undefined>;
}

/**
 * Serves the built console under /console. The directory is looked at on every request, so the API
 * starts without it (answering a clear 404) and serves a console built afterwards.
 */
export function consoleStatic(options: ConsoleStaticOptions) {
  const root = resolve(options.directory);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).setHeader('Allow', 'GET, HEAD');
      res.json({
        error: { code: ErrorCode.ValidationFailed, message: 'the console serves GET and HEAD only' },
      });
      return;
    }
    serve(req, res, root, options).catch(next);
  };
}

async function serve(
  req: Request,
  res: Response,
  root: string,
  options: ConsoleStaticOptions,
): Promise<void> {
  // req.path is relative to the mount point: '/', '/assets/app.js', '/portal'.
  const decision = decideConsolePath(req.path);
  if (decision.kind === 'bad-path') return notFound(res, 'no such console file');
  if (!(await isFile(join(root, 'index.html')))) {
    // The directory's path stays in the server's own configuration, not in a public answer.
    return notFound(
      res,
      'the console is not built: run npm run build, or point HERALD_CONSOLE_DIR at a built console',
    );
  }
  let file = decision.file;
  if (!(await isFile(inside(root, file)))) {
    if (decision.fallback === 'not-found') return notFound(res, `no console file ${file}`);
    file = 'index.html';
  }
  const portal = isPortalPath(req.path);
  const linkId = typeof req.query.link === 'string' ? req.query.link : undefined;
  const frameOrigins =
    portal && linkId && options.portalFrameOrigins ? await options.portalFrameOrigins(linkId) : undefined;
  const body = await readFile(inside(root, file));
  res.status(200);
  res.set({
    ...consoleSecurityHeaders({ portal, frameOrigins }),
    'Content-Type': contentTypeOf(file),
    'Cache-Control': cacheControlOf(file),
    'Content-Length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function inside(root: string, file: string): string {
  const path = resolve(root, file);
  // decideConsolePath already refuses '..'; this keeps the guarantee local to the read.
  if (path !== root && !path.startsWith(root + sep)) throw new Error(`console path escapes ${root}`);
  return path;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function notFound(res: Response, message: string): void {
  res.status(404).set(consoleSecurityHeaders({ portal: false }));
  res.json({ error: { code: ErrorCode.NotFound, message } });
}
