import { DomainError, ErrorCode } from '@herald/contracts';
import { SSRF_CORPUS } from './ssrf-corpus.fixture';
import { addressRefusal, assertSafeUrl, egressPolicy, isAllowedAddress, parseCidrs } from './egress.policy';

const production = egressPolicy('production');
const development = egressPolicy('development');

describe('assertSafeUrl in production', () => {
  it.each(SSRF_CORPUS)('refuses %s', (url) => {
    let error: unknown;
    try {
      assertSafeUrl(url, production);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.UnsafeUrl);
    expect((error as DomainError).message).toMatch(/is not allowed: .+/);
  });

  it('has a corpus of at least 40 URLs', () => expect(SSRF_CORPUS.length).toBeGreaterThanOrEqual(40));

  it.each([
    'https://example.com/hook',
    'https://hooks.example.co.uk:8443/a/b?c=d',
    'https://93.184.216.34/hook',
    'https://[2606:2800:220:1:248:1893:25c8:1946]/',
    'https://xn--bcher-kva.example/',
  ])('accepts %s', (url) => {
    expect(assertSafeUrl(url, production).href).toBeTruthy();
  });

  it('names the reason', () => {
    expect(() => assertSafeUrl('https://169.254.169.254/', production)).toThrow(/linkLocal/);
    expect(() => assertSafeUrl('http://example.com/', production)).toThrow(/only https/);
  });
});

describe('assertSafeUrl in development', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost:3000/',
    'http://[::1]:9000/',
    'http://10.1.2.3/',
    'http://receiver/',
  ])('accepts local receiver %s', (url) => expect(() => assertSafeUrl(url, development)).not.toThrow());

  it.each(['http://169.254.169.254/', 'ftp://127.0.0.1/', 'http://224.0.0.1/', 'http://[fe80::1]/'])(
    'still refuses %s',
    (url) => expect(() => assertSafeUrl(url, development)).toThrow(DomainError),
  );
});

describe('isAllowedAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.5',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.1.1',
    '0.0.0.0',
    '224.1.1.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fd00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:192.168.0.1',
    '64:ff9b::a00:1',
    '2001:db8::1',
    'nonsense',
  ])('blocks %s in production', (ip) => {
    expect(isAllowedAddress(ip, production)).toBe(false);
    expect(addressRefusal(ip, production)).toEqual(expect.any(String));
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])('allows public %s', (ip) => {
    expect(isAllowedAddress(ip, production)).toBe(true);
  });

  it('opens allowlisted CIDRs, including through IPv4-mapped spellings', () => {
    const policy = egressPolicy('production', ['10.20.0.0/16', 'fd00::/8', '192.168.7.7']);
    expect(isAllowedAddress('10.20.3.4', policy)).toBe(true);
    expect(isAllowedAddress('::ffff:10.20.3.4', policy)).toBe(true);
    expect(isAllowedAddress('10.21.0.1', policy)).toBe(false);
    expect(isAllowedAddress('fd00::5', policy)).toBe(true);
    expect(isAllowedAddress('192.168.7.7', policy)).toBe(true);
    expect(isAllowedAddress('192.168.7.8', policy)).toBe(false);
    expect(() => assertSafeUrl('https://10.20.0.9/hook', policy)).not.toThrow();
  });

  it('rejects bad CIDRs clearly', () => {
    expect(() => parseCidrs(['10.0.0.0/99'])).toThrow(/not a CIDR/);
  });
});
