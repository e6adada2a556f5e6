import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
export type ParsedCidr = [IpAddress, number];

/** Parses an address as DNS answers and URL literals spell it (brackets and zone ids allowed). */
export function parseAddress(ip: string): IpAddress | null {
  try {
    return ipaddr.parse(dottedTailToHex(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '')));
  } catch {
    return null;
  }
}

/**
 * ipaddr.js reads any `::a.b.c.d` as IPv4-mapped (`::ffff:a.b.c.d`), which would judge the
 * IPv4-compatible `::127.0.0.1` as if it reached 127.0.0.1. Spelling the tail in hex keeps the
 * address what it is.
 */
function dottedTailToHex(text: string): string {
  const match = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match || !text.includes(':')) return text;
  const [a, b, c, d] = match.slice(2).map(Number);
  if ([a, b, c, d].some((octet) => octet > 255)) return text;
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  return `${match[1]}${hex(a, b)}:${hex(c, d)}`;
}

const cidr = (text: string): ParsedCidr => ipaddr.parseCIDR(text);

/**
 * Where cloud instance metadata and other host-local services live. Refused in every mode and never
 * opened by an allowlist: one request there can hand out the node's cloud credentials.
 */
const METADATA: readonly [ParsedCidr, string][] = [
  [cidr('169.254.0.0/16'), 'link-local (cloud metadata)'],
  [cidr('100.100.100.200/32'), 'cloud metadata'], // Alibaba Cloud
  [cidr('168.63.129.16/32'), 'cloud metadata'], // Azure wire server
  [cidr('fd00:ec2::254/128'), 'cloud metadata'], // AWS over IPv6
  [cidr('fd20:ce::254/128'), 'cloud metadata'], // Google Cloud over IPv6
  [cidr('fe80::/10'), 'link-local'],
];

/** Classes no allowlist opens: nothing legitimate answers webhooks there. */
const NEVER_OPENED = new Set(['unspecified', 'broadcast', 'multicast']);

/** Classes development mode opens for receivers on the developer's machine or network. */
const DEVELOPMENT_CLASSES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

const GLOBAL_UNICAST_V6 = cidr('2000::/3');
const NAT64_WELL_KNOWN = cidr('64:ff9b::/96');

function within(address: IpAddress, [range, bits]: ParsedCidr): boolean {
  return address.kind() === range.kind() && address.match(range, bits);
}

/** The metadata class of an address (after unwrapping IPv4-mapped forms), or null. */
export function metadataClass(address: IpAddress): string | null {
  return METADATA.find(([range]) => within(address, range))?.[1] ?? null;
}

/** Whether a CIDR overlaps the metadata ranges or a class no allowlist may open. */
export function overlapsNeverOpened([range, bits]: ParsedCidr): string | null {
  for (const [[meta, metaBits], name] of METADATA) {
    if (meta.kind() !== range.kind()) continue;
    const shorter = Math.min(bits, metaBits);
    if (range.match(meta, shorter)) return name;
  }
  const cls = range.range();
  return NEVER_OPENED.has(cls) ? cls : null;
}

export interface AddressRules {
  mode: 'production' | 'development';
  allowCidrs: readonly ParsedCidr[];
}

/**
 * Why an address may not be contacted (its class, e.g. "loopback", "IPv4-mapped private"), or null
 * when it may. Public means public IPv4 unicast, or IPv6 inside 2000::/3 outside every
 * special-purpose block; addresses embedding an IPv4 one (mapped, NAT64, 6to4) are judged by it.
 */
export function refusedClass(address: IpAddress, rules: AddressRules): string | null {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    const inner = (address as ipaddr.IPv6).toIPv4Address();
    if (!metadataClass(inner) && rules.allowCidrs.some((range) => within(address, range))) return null;
    const innerClass = refusedClass(inner, rules);
    return innerClass && `IPv4-mapped ${innerClass}`;
  }
  const metadata = metadataClass(address);
  if (metadata) return metadata;
  const cls = address.range();
  if (NEVER_OPENED.has(cls)) return cls;
  if (rules.allowCidrs.some((range) => within(address, range))) return null;
  if (address.kind() === 'ipv4') {
    if (cls === 'unicast') return null;
    return rules.mode === 'development' && DEVELOPMENT_CLASSES.has(cls) ? null : cls;
  }
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    const innerClass = refusedClass(embedded.address, rules);
    return innerClass && `${embedded.via} of ${innerClass}`;
  }
  if (rules.mode === 'development' && DEVELOPMENT_CLASSES.has(cls)) return null;
  if (!within(v6, GLOBAL_UNICAST_V6)) return cls === 'unicast' ? 'non-global IPv6' : cls;
  return cls === 'unicast' ? null : cls;
}

/** The IPv4 host a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address reaches. */
function embeddedIPv4(address: ipaddr.IPv6): { address: ipaddr.IPv4; via: string } | null {
  const bytes = address.toByteArray();
  if (within(address, NAT64_WELL_KNOWN))
    return { address: ipaddr.fromByteArray(bytes.slice(12, 16)) as ipaddr.IPv4, via: 'NAT64' };
  if (address.range() === '6to4')
    return { address: ipaddr.fromByteArray(bytes.slice(2, 6)) as ipaddr.IPv4, via: '6to4' };
  return null;
}
