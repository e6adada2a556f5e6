import { loadConfig } from '@herald/config';
import { DomainError, ErrorCode } from '@herald/contracts';
import { apiEnv } from '../api.env';
import type { ApiSettings } from '../api.settings';
import { EndpointSettingsPolicy } from './endpoint-settings.policy';

const base = { HERALD_ADMIN_TOKEN: 'a-long-enough-operator-token' };

describe('EndpointSettingsPolicy: filter regexes must run on RE2 within the configured limits', () => {
  const policy = (env: Record<string, string> = {}) =>
    new EndpointSettingsPolicy(loadConfig(apiEnv, { ...base, ...env }), {} as ApiSettings);
  const onText = (regex: string, options?: string) => ({
    filter: { 'data.text': options === undefined ? { $regex: regex } : { $regex: regex, $options: options } },
  });

  function refusal(check: () => unknown) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return {
        code: error.code,
        field: (error.details?.fields as { field: string }[] | undefined)?.[0]?.field,
        message: error.message,
      };
    }
    return undefined;
  }

  it.each([
    ['(a)\\1', undefined, /backreferences/],
    ['a(?=b)', undefined, /lookahead and lookbehind/],
    ['a', 'x', /unsupported \$options flag "x"/],
    ['a'.repeat(257), undefined, /longer than 256 characters/],
    ['[ab]{200}', undefined, /too costly to run: they add up to 20\d, at most 100/],
  ])('refuses %s (options %s) as INVALID_FILTER on the filter field', (regex, options, message) => {
    expect(refusal(() => policy().check(onText(regex, options)))).toEqual({
      code: ErrorCode.InvalidFilter,
      field: 'filter',
      message: expect.stringMatching(message),
    });
  });

  it('accepts what RE2 runs within the limits, including the patterns that used to backtrack', () => {
    for (const regex of ['(a|a)+$', '(\\w|\\d)+$', '((a+))+', '(a+)+', '^\\+1702\\d{7}$']) {
      expect(refusal(() => policy().check(onText(regex)))).toBeUndefined();
    }
    expect(refusal(() => policy().check(onText('^the quick', 'ims')))).toBeUndefined();
  });

  it('follows HERALD_FILTER_MAX_REGEX_LENGTH and HERALD_FILTER_MAX_REGEX_COST', () => {
    const roomy = policy({ HERALD_FILTER_MAX_REGEX_LENGTH: '512', HERALD_FILTER_MAX_REGEX_COST: '400' });
    expect(refusal(() => roomy.check(onText(`[${'ab'.repeat(200)}]`)))).toBeUndefined();
    expect(refusal(() => roomy.check(onText('[ab]{200}')))).toBeUndefined();
    const tight = policy({ HERALD_FILTER_MAX_REGEX_LENGTH: '16' });
    expect(refusal(() => tight.check(onText('a'.repeat(17))))).toMatchObject({
      message: expect.stringMatching(/longer than 16 characters/),
    });
  });

  it('stops at start-up on a limit out of range', () => {
    expect(() => loadConfig(apiEnv, { ...base, HERALD_FILTER_MAX_REGEX_COST: '10' })).toThrow(
      /HERALD_FILTER_MAX_REGEX_COST/,
    );
  });
});
