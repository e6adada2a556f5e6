import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPipeline, type Pipeline } from '../support/pipeline';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/console/assets/app-1a2b.js"></script></head></html>';
const SCRIPT = 'console.log("console");';

/**
 * The API serves the built console at /console: a clear 404 while it is not built (the API starts
 * anyway), then index.html for client routes, hashed assets with a long cache, strict headers, and
 * framing only for portal pages.
 */
describe('console served by the API', () => {
  let pipeline: Pipeline;
  let base: string;
  const parent = mkdtempSync(join(tmpdir(), 'herald-console-'));
  const directory = join(parent, 'console');

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'console-static',
      migrate: true,
      services: ['api'],
      heraldEnv: { HERALD_CONSOLE_DIR: directory },
    });
    base = pipeline.herald.apiUrl;
  });

  afterAll(async () => {
    await pipeline?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('answers a clear JSON 404 while the console is not built, and the API runs', async () => {
    const res = await fetch(`${base}/console`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toMatch(/console is not built/);
    expect(body.error.message).not.toContain(parent);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });

  describe('once built', () => {
    beforeAll(() => {
      mkdirSync(join(directory, 'assets'), { recursive: true });
      writeFileSync(join(directory, 'index.html'), INDEX);
      writeFileSync(join(directory, 'assets', 'app-1a2b.js'), SCRIPT);
    });

    it.each(['/console', '/console/', '/console/endpoints/3f2a', '/console/deliveries?status=failed'])(
      'serves index.html for %s, not cached, with a strict CSP and no framing',
      async (path) => {
        const res = await fetch(`${base}${path}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(INDEX);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe('no-cache');
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      },
    );

    it('serves hashed assets with their type and a year-long immutable cache', async () => {
      const res = await fetch(`${base}/console/assets/app-1a2b.js`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(SCRIPT);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('answers 404 for a missing asset instead of index.html', async () => {
      const res = await fetch(`${base}/console/assets/gone-9z.js`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    });

    it('lets portal pages be framed (no X-Frame-Options, frame-ancestors *)', async () => {
      const res = await fetch(`${base}/console/portal`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(INDEX);
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    });

    it('never reads outside the console directory', async () => {
      writeFileSync(join(parent, 'secret.txt'), 'outside');
      for (const path of ['/console/..%2fsecret.txt', '/console/assets/%2e%2e/%2e%2e/secret.txt']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status).toBe(404);
        expect(await res.text()).not.toContain('outside');
      }
    });

    it('answers HEAD without a body and refuses other methods', async () => {
      const head = await fetch(`${base}/console/`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(INDEX)));
      const post = await fetch(`${base}/console/`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    });
  });
});
