import { DomainError } from '@herald/contracts';
import { parseCidrs } from './egress.policy';
import { MAX_WORKSPACE_ALLOW_CIDRS, validateWorkspaceAllowlist } from './workspace-allowlist.policy';

const permitted = parseCidrs(['10.0.0.0/8', '127.0.0.0/8', '168.63.0.0/16', 'fd00::/8', '224.0.0.0/4']);

function refusal(list: string[], ranges = permitted): DomainError {
  try {
    validateWorkspaceAllowlist(list, ranges);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`${list.join(',')} was accepted`);
}

describe('validateWorkspaceAllowlist', () => {
  it('returns canonical, deduplicated CIDRs', () => {
    expect(
      validateWorkspaceAllowlist(['10.20.3.4/16', '10.20.0.0/16', '127.0.0.1', 'FD00:1::/48'], permitted),
    ).toEqual(['10.20.0.0/16', '127.0.0.1/32', 'fd00:1::/48']);
    expect(validateWorkspaceAllowlist([], [])).toEqual([]);
  });

  it.each([
    [['nope'], /not a CIDR/, 'cidrs[0]'],
    [['10.0.0.0/8', '10.0.0.0/33'], /not a CIDR/, 'cidrs[1]'],
    [['192.168.0.0/16'], /outside the ranges/, 'cidrs[0]'],
    [['10.0.0.0/7'], /outside the ranges/, 'cidrs[0]'],
    [['169.254.169.254'], /cloud metadata/, 'cidrs[0]'],
    [['168.63.0.0/16'], /cloud metadata/, 'cidrs[0]'],
    [['fd00:ec2::/32'], /cloud metadata/, 'cidrs[0]'],
    [['fe80::/64'], /link-local/, 'cidrs[0]'],
    [['224.0.0.0/8'], /multicast/, 'cidrs[0]'],
  ])('refuses %j with a 422 naming the entry', (list, message, field) => {
    const error = refusal(list);
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ status: 422, fields: [{ field }] });
  });

  it('refuses every entry when the operator permits no ranges', () => {
    expect(refusal(['10.1.0.0/16'], []).message).toMatch(/permits no workspace egress ranges/);
  });

  it('caps the number of entries', () => {
    const list = Array.from({ length: MAX_WORKSPACE_ALLOW_CIDRS + 1 }, (_, i) => `10.0.${i}.0/24`);
    expect(refusal(list).message).toMatch(/at most/);
  });
});
