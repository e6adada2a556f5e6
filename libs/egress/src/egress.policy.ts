import ipaddr from 'ipaddr.js';
import { DomainError, ErrorCode } from '@herald/contracts';
import { parseAddress, refusedClass, type ParsedCidr } from './address-class';

export type { ParsedCidr } from './address-class';

/**
 * Where webhooks may go. Production: HTTPS to public unicast addresses and fully qualified public
 * names only. Development additionally allows plain HTTP and loopback/private receivers. Cloud
 * metadata and link-local addresses are refused in both modes, whatever an allowlist says.
 * `allowCidrs` opens specific ranges (e.g. a partner VPN): the operator's global list, joined with a
 * workspace's own list for that workspace's endpoints (withAllowlist).
 */
export interface EgressPolicy {
  mode: 'production' | 'development';
  allowCidrs: readonly ParsedCidr[];
}

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

/** For config validation: whether every entry parses as a CIDR or address. */
export function isCidrList(list: readonly string[]): boolean {
  try {
    parseCidrs(list);
    return true;
  } catch {
    return false;
  }
}

export function egressPolicy(
  mode: 'production' | 'development',
  allowCidrs: readonly string[] = [],
): EgressPolicy {
  return { mode, allowCidrs: parseCidrs(allowCidrs) };
}

/**
 * The policy for one workspace's endpoints: the global allowlist plus the workspace's own. Entries
 * that do not parse are skipped, so a damaged list opens less, never more.
 */
export function withAllowlist(policy: EgressPolicy, extra: readonly string[] | undefined): EgressPolicy {
  if (!extra || extra.length === 0) return policy;
  const parsed = extra.flatMap((text) => {
    try {
      return parseCidrs([text]);
    } catch {
      return [];
    }
  });
  return { mode: policy.mode, allowCidrs: [...policy.allowCidrs, ...parsed] };
}

/** The class of a refused address (e.g. "private"), or null when it may be contacted. */
export function addressClassRefusal(ip: string, policy: EgressPolicy): string | null {
  const address = parseAddress(ip);
  if (!address) return 'not an IP address';
  return refusedClass(address, policy);
}

/**
 * Why an address is refused, naming it, or null when it may be contacted. Only for operators' logs
 * and for literals the caller typed: for a DNS answer, tell the caller the class-free
 * RESOLVES_TO_NON_PUBLIC instead, or the answer maps the internal network.
 */
export function addressRefusal(ip: string, policy: EgressPolicy): string | null {
  const address = parseAddress(ip);
  if (!address) return `"${ip}" is not an IP address`;
  const cls = refusedClass(address, policy);
  return cls && `${address.toString()} is a ${cls} address`;
}

export const RESOLVES_TO_NON_PUBLIC = 'it resolves to a non-public address';

export function isAllowedAddress(ip: string, policy: EgressPolicy): boolean {
  return addressClassRefusal(ip, policy) === null;
}

/** Names that reach the host itself, cluster-internal services or metadata whatever DNS says. */
const INTERNAL_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
  'metadata',
  'metadata.goog',
  'instance-data',
]);
const INTERNAL_SUFFIXES = [
  '.localhost',
  '.local',
  '.cluster.local',
  '.svc',
  '.internal',
  '.localdomain',
  '.home.arpa',
  '.lan',
  '.intranet',
  '.corp',
];
/** Refused in development too: metadata services answer these names on every cloud VM. */
const METADATA_NAMES = new Set(['metadata', 'metadata.goog', 'metadata.google.internal', 'instance-data']);

function unsafe(url: string, why: string): DomainError {
  return new DomainError(ErrorCode.UnsafeUrl, `URL ${JSON.stringify(url)} is not allowed: ${why}`, {
    reason: why,
  });
}

/**
 * Syntax-level check, used when an endpoint is saved and again before each send (DNS answers are
 * checked separately at connect time). Returns the parsed URL. Only what the caller typed appears in
 * the message.
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
  // Nothing listens on port 0; connecting there is at best undefined behaviour.
  if (parsed.port === '0') throw unsafe(url, 'port 0 is not a valid port');
  const raw = parsed.hostname.toLowerCase();
  if (!raw) throw unsafe(url, 'it has no host');
  // WHATWG parsing already turned decimal, octal and hex IPv4 spellings into dotted form.
  const literal = raw.startsWith('[') ? raw.slice(1, -1) : raw;
  if (ipaddr.isValid(literal)) {
    const cls = addressClassRefusal(literal, policy);
    if (cls) throw unsafe(url, `${literal} is a ${cls} address`);
    return parsed;
  }
  // One trailing dot is the absolute form of a name; anything more has an empty label.
  const host = raw.replace(/\.$/, '');
  if (!host || host.split('.').some((label) => label === '')) {
    throw unsafe(url, `${raw} has an empty label (several trailing or adjacent dots)`);
  }
  if (!/^[a-z0-9._-]+$/.test(host)) throw unsafe(url, `${host} is not a valid host name`);
  if (METADATA_NAMES.has(host)) throw unsafe(url, `${host} is a cloud metadata host name`);
  if (policy.mode === 'production') {
    if (INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
      throw unsafe(url, `${host} is an internal host name`);
    }
    if (!host.includes('.')) {
      throw unsafe(url, `${host} is a single-label name, not a fully qualified domain name`);
    }
  }
  return parsed;
}
