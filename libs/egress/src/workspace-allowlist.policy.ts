import ipaddr from 'ipaddr.js';
import { DomainError, ErrorCode } from '@herald/contracts';
import { overlapsNeverOpened, type ParsedCidr } from './address-class';

/** A workspace's own allowlist stays short: it names partner ranges, not networks. */
export const MAX_WORKSPACE_ALLOW_CIDRS = 32;

/**
 * Checks a workspace egress allowlist (the global list's syntax: CIDRs or bare addresses) and
 * returns it canonical (network address, explicit prefix, no duplicates). Every entry must lie
 * inside one of the operator's `permitted` ranges (HERALD_EGRESS_WORKSPACE_CIDRS): a workspace can
 * open a partner's range the operator foresaw, never the operator's own network. Throws a 422
 * DomainError naming the first bad entry.
 */
export function validateWorkspaceAllowlist(
  list: readonly string[],
  permitted: readonly ParsedCidr[],
): string[] {
  if (list.length > MAX_WORKSPACE_ALLOW_CIDRS) {
    throw refusal(`at most ${MAX_WORKSPACE_ALLOW_CIDRS} entries`, 'cidrs', ErrorCode.LimitExceeded);
  }
  if (list.length > 0 && permitted.length === 0) {
    throw refusal('this Herald permits no workspace egress ranges (ask its operator)', 'cidrs');
  }
  const canonical = list.map((text, index) => {
    const field = `cidrs[${index}]`;
    let range: ipaddr.IPv4 | ipaddr.IPv6;
    let bits: number;
    try {
      [range, bits] = text.includes('/')
        ? ipaddr.parseCIDR(text)
        : [ipaddr.parse(text), ipaddr.parse(text).kind() === 'ipv4' ? 32 : 128];
    } catch {
      throw refusal(`"${text}" is not a CIDR (use e.g. 10.20.0.0/16 or fd00:1::/48)`, field);
    }
    const never = overlapsNeverOpened([range, bits]);
    if (never) throw refusal(`"${text}" overlaps ${never} addresses, which no allowlist opens`, field);
    const inside = permitted.some(
      ([outer, outerBits]) =>
        outer.kind() === range.kind() && bits >= outerBits && range.match(outer, outerBits),
    );
    if (!inside) throw refusal(`"${text}" is outside the ranges this Herald lets workspaces open`, field);
    const network =
      range.kind() === 'ipv4'
        ? ipaddr.IPv4.networkAddressFromCIDR(`${range.toString()}/${bits}`)
        : ipaddr.IPv6.networkAddressFromCIDR(`${range.toString()}/${bits}`);
    return `${network.toString()}/${bits}`;
  });
  return [...new Set(canonical)];
}

function refusal(message: string, field: string, code = ErrorCode.ValidationFailed): DomainError {
  return new DomainError(code, message, { fields: [{ field, message }], status: 422 });
}
