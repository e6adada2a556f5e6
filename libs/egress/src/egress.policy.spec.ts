import { DomainError, ErrorCode } from '@herald/contracts';
import {
  addressClassRefusal,
  addressRefusal,
  assertSafeUrl,
  egressPolicy,
  isAllowedAddress,
  parseCidrs,
  withAllowlist,
} from './egress.policy';

const production = egressPolicy('production');

function refusal(url: string, policy = production): string {
  try {
    assertSafeUrl(url, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.UnsafeUrl);
    return (error as DomainError).message;
  }
  throw new Error(`${url} was accepted`);
}

describe('assertSafeUrl', () => {
  it('names the reason', () => {
    expect(refusal('https://169.254.169.254/')).toMatch(/link-local \(cloud metadata\)/);
    expect(refusal('http://example.com/')).toMatch(/only https/);
    expect(refusal('https://example.com:0/')).toMatch(/port 0/);
    expect(refusal('https://example.com../')).toMatch(/empty label/);
    expect(refusal('https://intranet/')).toMatch(/single-label/);
    expect(refusal('https://api.default.svc/')).toMatch(/internal host name/);
    expect(refusal('https://[::127.0.0.1]/')).toMatch(/::7f00:1 is a non-global IPv6 address/);
    expect(refusal('https://[2002:a00:1::]/')).toMatch(/6to4 of private/);
    expect(refusal('https://[64:ff9b::7f00:1]/')).toMatch(/NAT64 of loopback/);
  });

  it('refuses cloud metadata in development mode too, whatever the global allowlist says', () => {
    const open = egressPolicy('development', ['169.254.0.0/16', '100.64.0.0/10', 'fd00::/8', '::/0']);
    for (const url of [
      'http://169.254.169.254/',
      'http://100.100.100.200/',
      'http://168.63.129.16/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/',
    ])
      expect(refusal(url, open)).toMatch(/metadata/);
    expect(() => assertSafeUrl('http://100.64.0.9/', open)).not.toThrow();
  });
});

describe('addressRefusal', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '169.254.169.254',
    '100.64.1.1',
    '0.0.0.0',
    '224.1.1.1',
    '255.255.255.255',
    '::1',
    '::',
    '::127.0.0.1',
    '::8.8.8.8',
    'fe80::1%eth0',
    'fd00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:0101::',
    '2001:db8::1',
    '2001::1',
    '2001:2::1',
    '2001:20::1',
    '4000::1',
    'nonsense',
  ])('blocks %s in production', (ip) => {
    expect(isAllowedAddress(ip, production)).toBe(false);
    expect(addressRefusal(ip, production)).toEqual(expect.any(String));
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows public %s',
    (ip) => expect(isAllowedAddress(ip, production)).toBe(true),
  );

  it('names the address for the operator and only the class for callers', () => {
    expect(addressRefusal('10.4.2.7', production)).toBe('10.4.2.7 is a private address');
    expect(addressClassRefusal('10.4.2.7', production)).toBe('private');
  });

  it('opens allowlisted CIDRs, including through IPv4-mapped spellings, but never metadata', () => {
    const policy = egressPolicy('production', ['10.20.0.0/16', 'fd00::/8', '192.168.7.7', '169.254.0.0/16']);
    expect(isAllowedAddress('10.20.3.4', policy)).toBe(true);
    expect(isAllowedAddress('::ffff:10.20.3.4', policy)).toBe(true);
    expect(isAllowedAddress('10.21.0.1', policy)).toBe(false);
    expect(isAllowedAddress('fd00::5', policy)).toBe(true);
    expect(isAllowedAddress('fd00:ec2::254', policy)).toBe(false);
    expect(isAllowedAddress('192.168.7.7', policy)).toBe(true);
    expect(isAllowedAddress('192.168.7.8', policy)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', policy)).toBe(false);
    expect(() => assertSafeUrl('https://10.20.0.9/hook', policy)).not.toThrow();
  });

  it('joins a workspace allowlist to the global one without changing the global policy', () => {
    const global = egressPolicy('production', ['10.20.0.0/16']);
    const workspace = withAllowlist(global, ['127.0.0.0/8', 'not a cidr']);
    expect(isAllowedAddress('127.0.0.1', workspace)).toBe(true);
    expect(isAllowedAddress('10.20.0.1', workspace)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', global)).toBe(false);
    expect(withAllowlist(global, [])).toBe(global);
  });

  it('rejects bad CIDRs clearly', () => {
    expect(() => parseCidrs(['10.0.0.0/99'])).toThrow(/not a CIDR/);
  });
});
