import type { LookupAddress } from 'node:dns';
import { safeLookup, type LookupFunction } from '../../http-delivery/src/safe-lookup';
import { SSRF_CASES, SSRF_CORPUS, type SsrfCase, type SsrfVerdict } from './ssrf-corpus.fixture';
import { assertSafeUrl, egressPolicy, type EgressPolicy } from './egress.policy';

const POLICIES: [keyof Pick<SsrfCase, 'production' | 'development'>, EgressPolicy][] = [
  ['production', egressPolicy('production')],
  ['development', egressPolicy('development')],
];
const PUBLIC_ANSWER = '93.184.216.34';

function saveTime(url: string, policy: EgressPolicy): SsrfVerdict {
  try {
    assertSafeUrl(url, policy);
    return 'allowed';
  } catch {
    return 'refused';
  }
}

/** What the connect-time lookup answers for a host, given the DNS answers it gets. */
function connectTime(host: string, answers: string[], policy: EgressPolicy): Promise<SsrfVerdict> {
  const resolve: LookupFunction = (_name, _options, callback) =>
    callback(
      null,
      answers.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  return new Promise((done) =>
    safeLookup(policy, resolve)(host, { all: true }, (error) => done(error ? 'refused' : 'allowed')),
  );
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

const isLiteral = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

describe('SSRF corpus', () => {
  it('holds at least 100 URLs, refused and allowed ones in both modes', () => {
    expect(SSRF_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(SSRF_CASES.map((c) => c.url)).size).toBe(SSRF_CASES.length);
    expect(SSRF_CORPUS.length).toBeGreaterThanOrEqual(100);
  });

  describe.each(POLICIES)('in %s mode', (mode, policy) => {
    it.each(SSRF_CASES.map((c) => [c.url, c] as const))('save time: %s', (_url, c) =>
      expect(saveTime(c.url, policy)).toBe(c.resolvesTo ? 'allowed' : c[mode]),
    );

    it.each(SSRF_CASES.map((c) => [c.url, c] as const))(
      'send time (URL and DNS answer): %s',
      async (_url, c) => {
        let verdict = saveTime(c.url, policy);
        if (verdict === 'allowed') {
          const host = hostOf(c.url);
          const answers = c.resolvesTo ?? (isLiteral(host) ? [host] : [PUBLIC_ANSWER]);
          verdict = await connectTime(host, answers, policy);
        }
        expect(verdict).toBe(c[mode]);
      },
    );

    // Snapshots written straight to herald.subscriptions skip the save-time check: every URL refused
    // for its address alone is refused again when a name resolves to that address.
    it.each(SSRF_CASES.map((c) => [c.url, c] as const))(
      'connect time alone, when the address is the only problem: %s',
      async (_url, c) => {
        if (c[mode] !== 'refused' || c.resolvesTo) return;
        let probe: URL;
        try {
          probe = new URL(c.url);
        } catch {
          return;
        }
        const host = probe.hostname.replace(/^\[|\]$/g, '');
        if (!isLiteral(host)) return;
        probe.hostname = 'public.example.com';
        if (saveTime(probe.toString(), policy) === 'refused') return;
        expect(await connectTime('rebind.example.com', [host], policy)).toBe('refused');
      },
    );
  });
});
