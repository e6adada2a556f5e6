import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * `$regex` runs on RE2 (the re2js port): matching time is linear in the text, so no pattern can
 * backtrack. The constant grows with the compiled program, which is why save-time limits bound it.
 */

/** Save-time bounds on a filter's regular expressions. */
export interface FilterRegexLimits {
  /** Characters in one pattern. */
  maxLength: number;
  /**
   * Cost of all the filter's patterns added up: each costs its compiled size (RE2 program
   * instructions), at least REGEX_MIN_COST. A filter's worst-case matching time grows with it (see
   * README.md in this lib for measured times).
   */
  maxTotalCost: number;
}

export const DEFAULT_FILTER_REGEX_LIMITS: Readonly<FilterRegexLimits> = Object.freeze({
  maxLength: 256,
  maxTotalCost: 100,
});

/**
 * What even a tiny pattern costs: with large Unicode classes (\pL) a 14-instruction program runs
 * about as long as a 50-instruction one, so many small patterns must not add up to less.
 */
export const REGEX_MIN_COST = 25;

/** The budget a compiled pattern takes from its filter's maxTotalCost. */
export function regexCost(regex: CompiledRegex): number {
  return Math.max(regex.size, REGEX_MIN_COST);
}

/** `$options` letters RE2 can honour; `u` is accepted and changes nothing (RE2 matches code points). */
const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0,
};

export interface CompiledRegex {
  /** RE2 program instructions, what the size limit counts. */
  size: number;
  /** True for a string the pattern matches anywhere in; any other value never matches. */
  test: (value: unknown) => boolean;
}

export type RegexCompilation = { regex: CompiledRegex } | { problem: string };

/** Parses `$options` into RE2 flags, or names the first letter RE2 cannot honour. */
export function regexFlags(options: string): { flags: number } | { problem: string } {
  let flags = 0;
  for (const letter of options) {
    const bit = FLAG_BITS[letter];
    if (bit === undefined) {
      return { problem: `unsupported $options flag "${letter}"; filters support i, m, s (and u, always on)` };
    }
    flags |= bit;
  }
  return { flags };
}

/** Compiles one `$regex` with its `$options` on RE2, or says in words why it cannot run there. */
export function compileRegex(pattern: string, options: string): RegexCompilation {
  const parsed = regexFlags(options);
  if ('problem' in parsed) return parsed;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, parsed.flags);
  } catch (error) {
    return { problem: describeSyntaxError(error) };
  }
  return {
    regex: {
      size: re.programSize(),
      test: (value) => typeof value === 'string' && re.test(value),
    },
  };
}

function describeSyntaxError(error: unknown): string {
  if (!(error instanceof RE2JSSyntaxException)) {
    return `not a valid regular expression (RE2 syntax): ${(error as Error).message}`;
  }
  const at = error.input ?? '';
  if (/^\\([1-9]|k)/.test(at)) {
    return 'backreferences such as \\1 or \\k<name> are not supported (filters use RE2 syntax, which has none)';
  }
  if (/^\(\?<?[=!]/.test(at)) {
    return 'lookahead and lookbehind such as (?=...) or (?<!...) are not supported (filters use RE2 syntax, which has none)';
  }
  return `not a valid regular expression (RE2 syntax): ${error.getDescription()}${at ? ` at \`${at}\`` : ''}`;
}
