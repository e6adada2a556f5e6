import { posix } from 'node:path';

/** What to answer for a path under /console, before looking at the disk. */
export type ConsolePathDecision =
  /** Serve this file (relative to the console directory) if it exists; else `fallback`. */
  { kind: 'file'; file: string; fallback: 'index' | 'not-found' } | { kind: 'bad-path' };

const INDEX = 'index.html';

/**
 * Maps the path after `/console` to a file. Hashed build output under `assets/` never falls back to
 * index.html (a missing script must be a 404, not HTML served as JavaScript); every other unknown path
 * is a client route, answered with index.html.
 */
export function decideConsolePath(pathAfterMount: string): ConsolePathDecision {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathAfterMount);
  } catch {
    return { kind: 'bad-path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-path' };
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return { kind: 'bad-path' };
  const relative = posix.normalize(segments.join('/'));
  if (relative === '.' || relative === '') return { kind: 'file', file: INDEX, fallback: 'not-found' };
  return { kind: 'file', file: relative, fallback: isAssetPath(relative) ? 'not-found' : 'index' };
}

export function isAssetPath(file: string): boolean {
  return file.startsWith('assets/');
}

/** Hashed assets never change under their name; everything else is revalidated on each load. */
export function cacheControlOf(file: string): string {
  return isAssetPath(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Portal pages (`/console/portal`, `/console/portal/...`) are the only ones another site may frame. */
export function isPortalPath(pathAfterMount: string): boolean {
  return /^\/portal(?:\/|$)/.test(pathAfterMount);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[posix.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** An origin a CSP source list can carry: scheme, host and optional port, nothing that could end the directive. */
export function isFrameOrigin(origin: string): boolean {
  return /^https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?$/i.test(origin);
}

/**
 * Headers of every console response. Scripts, styles and connections come from this origin only (no
 * inline script); images may also come over https (a portal's branding logo). Only portal pages may be
 * framed: by the link's allowed origins when it names any, else by anyone.
 */
export function consoleSecurityHeaders(options: {
  portal: boolean;
  frameOrigins?: readonly string[];
}): Record<string, string> {
  const origins = (options.frameOrigins ?? []).filter(isFrameOrigin);
  const frameAncestors = !options.portal ? "'none'" : origins.length > 0 ? origins.join(' ') : '*';
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (!options.portal) headers['X-Frame-Options'] = 'DENY';
  return headers;
}
