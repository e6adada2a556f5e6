import ipaddr from 'ipaddr.js';
import { DomainError, ErrorCode } from '@herald/contracts';

/**
 * Where webhooks may go. Production: HTTPS to public unicast addresses only. Development additionally
 * allows plain HTTP and loopback/private receivers (never link-local, so cloud metadata stays shut).
 * `allowCidrs` opens specific ranges (e.g. a partner VPN) in either mode.
 */
export interface EgressPolicy {
  mode: 'production' | 'development';
  allowCidrs: readonly ParsedCidr[];
}

export type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses `10.1.0.0/16`, `fd00::/8`; a bare address is a single host. Throws DomainError on bad input. */
export function parseCidrs(list: readonly string[]): ParsedCidr[] {
  return list.map((text) => {
    try {
      return text.includes('/')
        ? ipaddr.parseCIDR(text)
        : [ipaddr.parse(text), ipaddr.parse(text).kind() === 'ipv4' ? 32 : 128];
    } catch {
      throw new DomainError(
        ErrorCode.InvalidConfiguration,
        `"${text}" is not a CIDR (use e.g. 10.0.0.0/8 or fd00::/8)`,
      );
    }
  });
}

export function egressPolicy(
  mode: 'production' | 'development',
  allowCidrs: readonly string[] = [],
): EgressPolicy {
  return { mode, allowCidrs: parseCidrs(allowCidrs) };
}

/** Ranges development mode opens for local receivers. */
const DEV_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** Hostnames that resolve to the host itself or to internal services whatever DNS says. */
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa'];

function inAllowlist(address: ipaddr.IPv4 | ipaddr.IPv6, policy: EgressPolicy): boolean {
  return policy.allowCidrs.some(
    ([range, bits]) => address.kind() === range.kind() && address.match(range, bits),
  );
}

/** Why an address is refused, or null when it may be contacted. */
export function addressRefusal(ip: string, policy: EgressPolicy): string | null {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return `"${ip}" is not an IP address`;
  }
  // An IPv4-mapped IPv6 address reaches the IPv4 host, so judge that host.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    const inner = (address as ipaddr.IPv6).toIPv4Address();
    if (inAllowlist(address, policy) || inAllowlist(inner, policy)) return null;
    const innerReason = addressRefusal(inner.toString(), policy);
    return innerReason && `IPv4-mapped ${innerReason}`;
  }
  if (inAllowlist(address, policy)) return null;
  const range = address.range();
  if (range === 'unicast') return null;
  if (policy.mode === 'development' && DEV_RANGES.has(range)) return null;
  return `${address.toString()} is a ${range} address`;
}

export function isAllowedAddress(ip: string, policy: EgressPolicy): boolean {
  return addressRefusal(ip, policy) === null;
}

function unsafe(url: string, why: string): DomainError {
  return new DomainError(ErrorCode.UnsafeUrl, `URL ${JSON.stringify(url)} is not allowed: ${why}`, {
    reason: why,
  });
}

/**
 * Syntax-level check, used when an endpoint is saved and again before each send (DNS answers are
 * checked separately at connect time). Returns the parsed URL.
 */
export function assertSafeUrl(url: string, policy: EgressPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unsafe(url, 'it is not a valid absolute URL');
  }
  if (parsed.protocol !== 'https:' && !(policy.mode === 'development' && parsed.protocol === 'http:')) {
    throw unsafe(
      url,
      policy.mode === 'production' ? 'only https is allowed' : 'only http and https are allowed',
    );
  }
  if (parsed.username || parsed.password) throw unsafe(url, 'credentials in the URL are not allowed');
  // WHATWG parsing already turned decimal, octal and hex IPv4 spellings into dotted form.
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (!host) throw unsafe(url, 'it has no host');
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal)) {
    const reason = addressRefusal(literal, policy);
    if (reason) throw unsafe(url, reason);
    return parsed;
  }
  if (policy.mode === 'production') {
    if (host === 'localhost' || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
      throw unsafe(url, `${host} is an internal host name`);
    }
    if (!host.includes('.')) throw unsafe(url, `${host} is not a fully qualified domain name`);
  }
  if (!/^[a-z0-9._-]+$/.test(host)) throw unsafe(url, `${host} is not a valid host name`);
  return parsed;
}
