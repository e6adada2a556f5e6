import {
  cacheControlOf,
  consoleSecurityHeaders,
  contentTypeOf,
  decideConsolePath,
  isFrameOrigin,
  isPortalPath,
} from './console-files.policy';

describe('console paths', () => {
  it.each([
    ['/', { kind: 'file', file: 'index.html', fallback: 'not-found' }],
    ['', { kind: 'file', file: 'index.html', fallback: 'not-found' }],
    ['/index.html', { kind: 'file', file: 'index.html', fallback: 'index' }],
    ['/assets/app-1a2b.js', { kind: 'file', file: 'assets/app-1a2b.js', fallback: 'not-found' }],
    ['/endpoints/42', { kind: 'file', file: 'endpoints/42', fallback: 'index' }],
    ['/portal', { kind: 'file', file: 'portal', fallback: 'index' }],
    ['//favicon.svg', { kind: 'file', file: 'favicon.svg', fallback: 'index' }],
  ])('%s -> %j', (path, decision) => {
    expect(decideConsolePath(path)).toEqual(decision);
  });

  it.each([
    '/../api.env.ts',
    '/assets/%2e%2e/%2e%2e/secret',
    '/a/..%2f..%2fetc',
    '/.env',
    '/a\\b',
    '/%00',
    '/%',
  ])('refuses %s', (path) => {
    expect(decideConsolePath(path)).toEqual({ kind: 'bad-path' });
  });

  it('caches hashed assets for a year and revalidates everything else', () => {
    expect(cacheControlOf('assets/app-1a2b.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('favicon.svg')).toBe('no-cache');
  });

  it('names content types, with a safe default', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('assets/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('assets/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('assets/blob')).toBe('application/octet-stream');
  });

  it('knows portal pages', () => {
    expect(isPortalPath('/portal')).toBe(true);
    expect(isPortalPath('/portal/deliveries')).toBe(true);
    expect(isPortalPath('/portals')).toBe(false);
    expect(isPortalPath('/endpoints')).toBe(false);
  });
});

describe('console security headers', () => {
  const cspOf = (headers: Record<string, string>) => headers['Content-Security-Policy'];

  it('forbids inline scripts and framing on console pages', () => {
    const headers = consoleSecurityHeaders({ portal: false });
    expect(cspOf(headers)).toContain("default-src 'self'");
    expect(cspOf(headers)).toContain("script-src 'self'");
    expect(cspOf(headers)).not.toContain('unsafe-inline');
    expect(cspOf(headers)).toContain("frame-ancestors 'none'");
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('lets anyone frame a portal page, or only the origins its link allows', () => {
    const open = consoleSecurityHeaders({ portal: true });
    expect(open['X-Frame-Options']).toBeUndefined();
    expect(cspOf(open)).toContain('frame-ancestors *');
    const limited = consoleSecurityHeaders({
      portal: true,
      frameOrigins: ['https://app.example.com', 'http://localhost:8080'],
    });
    expect(cspOf(limited)).toContain('frame-ancestors https://app.example.com http://localhost:8080');
    expect(limited['X-Frame-Options']).toBeUndefined();
  });

  it('drops anything that is not an origin, so a stored value cannot add directives', () => {
    const headers = consoleSecurityHeaders({
      portal: true,
      frameOrigins: ["https://a.example.com; script-src 'unsafe-inline'", 'https://b.example.com'],
    });
    expect(cspOf(headers)).toContain('frame-ancestors https://b.example.com');
    expect(cspOf(headers)).not.toContain('unsafe-inline');
    expect(isFrameOrigin('https://*.example.com')).toBe(true);
    expect(isFrameOrigin('https://example.com/path')).toBe(false);
    expect(isFrameOrigin('javascript:alert(1)')).toBe(false);
  });
});
