import type { EndpointSnapshot } from '@herald/contracts';
import { DEFAULT_FILTER_REGEX_LIMITS } from './filter-regex';
import { compileFilter, validateFilter } from './payload-filter';
import { SubscriptionIndex } from './subscription-index';

/**
 * Filters cannot stall routing: whatever can be saved runs in time linear in the text.
 *
 * With compileRegex switched back to V8's backtracking `new RegExp`, these tests hang: `(a|a)+$`
 * did not finish in 90 s, nor did the stacked quantifiers below in 60 s.
 *
 * Measured on the 2-core dev box with other builds running (load 4 to 6), one evaluation on 256 KiB:
 * the issue's five patterns 0.1 to 11 ms; the worst savable filters below 0.6 s (one pattern using the
 * whole budget) and 1.05 s (four small patterns); alternation, stacked and nested quantifiers under
 * 25 ms. The bound asserted, 5 s per evaluation, leaves room for a loaded CI machine and still fails
 * clearly on the old engine, which does not finish.
 */
const BOUND_MS = 5_000;
const KIB_256 = 256 * 1024;

jest.setTimeout(120_000);

function event(text: string) {
  return { id: 'evt_1', type: 'message.received', workspaceId: 'ws_1', occurredAt: '', data: { text } };
}

/** A deterministic text from the given characters, ending with a fixed tail. */
function randomText(alphabet: string[], tail = ''): string {
  let seed = 11;
  const out: string[] = [];
  for (let i = 0; i < KIB_256 - tail.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    out.push(alphabet[seed % alphabet.length]!);
  }
  return out.join('') + tail;
}

/** Evaluates once and returns the milliseconds it took. */
function timed(filter: Record<string, unknown>, text: string): { ms: number; matched: boolean } {
  const test = compileFilter(filter);
  const start = process.hrtime.bigint();
  const matched = test(event(text));
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, matched };
}

const onText = (regex: string) => ({ 'data.text': { $regex: regex } });
const saves = (filter: Record<string, unknown>) => () => validateFilter(filter, DEFAULT_FILTER_REGEX_LIMITS);

describe('$regex filters run in linear time', () => {
  const run = 'a'.repeat(KIB_256 - 1) + '!';
  const digits = '1'.repeat(KIB_256 - 1) + '!';

  it.each([
    ['(a|a)+$', run],
    ['(\\w|\\d)+$', digits],
    ['((a+))+$', run],
    [`${'a*'.repeat(40)}b`, run],
    ['(a+)+$', run],
  ])('%s is accepted and gives up on a 256 KiB attack text within the bound', (regex, text) => {
    expect(saves(onText(regex))).not.toThrow();
    const { ms, matched } = timed(onText(regex), text);
    expect(matched).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('the router path (SubscriptionIndex) matches with the same engine', () => {
    const index = new SubscriptionIndex();
    const snapshot = {
      id: 'ep_1',
      workspaceId: 'ws_1',
      version: 1,
      eventTypes: ['*'],
      disabled: false,
      filter: onText('(a|a)+$'),
    } as unknown as EndpointSnapshot;
    expect(index.upsert(snapshot)).toBe('applied');
    const start = Date.now();
    expect(index.match(event(run))).toEqual([]);
    expect(index.match(event('aaaa'))).toHaveLength(1);
    expect(Date.now() - start).toBeLessThan(BOUND_MS);
  });
});

describe('the worst filters anyone can save, on a 256 KiB text', () => {
  // Digits match [\pL\d] but not \pL, so the set of live positions changes with every character:
  // the lazy DFA runs out of memory and RE2 falls back to its NFA, the slowest linear path.
  // The only c comes after digits, so nothing matches and every branch of an $or is evaluated.
  const mixed = randomText(['a', 'б', '1', 'Ж', '9'], `${'1'.repeat(1_100)}c`);
  const run = 'a'.repeat(KIB_256 - 1) + '!';

  /** The largest n for which shape(n) is still accepted at the default limits. */
  function largest(shape: (n: number) => Record<string, unknown>): number {
    let n = 1;
    while (!threw(saves(shape(n + 1)))) n += 1;
    return n;
  }

  it.each<[string, (n: number) => Record<string, unknown>, string]>([
    ['one pattern as large as the budget allows', (n) => onText(`\\pL[\\pL\\d]{${n}}c`), mixed],
    [
      'as many small slow patterns as the budget allows',
      (n) => ({ $or: Array.from({ length: n }, (_, i) => onText(`\\pL[\\pL\\d]{${10 + i}}c`)) }),
      mixed,
    ],
    ['alternation under a quantifier, to the length limit', (n) => onText(`(?:${'a|'.repeat(n)}a)+$`), run],
    ['stacked quantifiers', (n) => onText(`${'a*'.repeat(n)}b`), run],
    ['nested quantifiers', (n) => onText(`${'('.repeat(n)}a${')+'.repeat(n)}$`), run],
  ])('%s', (_name, shape, text) => {
    const n = largest(shape);
    expect(n).toBeGreaterThan(1);
    expect(saves(shape(n + 1))).toThrow(/longer than 256 characters|too costly to run|nested deeper/);
    const { ms, matched } = timed(shape(n), text);
    expect(matched).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

function threw(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}
