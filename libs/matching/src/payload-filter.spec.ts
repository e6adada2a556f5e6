import { DomainError, ErrorCode } from '@herald/contracts';
import { DEFAULT_FILTER_REGEX_LIMITS } from './filter-regex';
import { compileFilter, validateFilter } from './payload-filter';

const sms = {
  id: 'evt_1',
  type: 'message.received',
  workspaceId: 'ws_1',
  occurredAt: '2026-03-20T14:00:00.000Z',
  data: {
    id: 'msg_1',
    conversationId: 'cnv_1',
    communicationType: 'sms',
    to: ['+17025550000', '+17025550001'],
    from: '+17025551111',
    text: 'The quick brown fox',
    outbound: false,
    lineId: 'line_a',
    meta: { priority: 3, tags: ['vip', 'new'] },
  },
};
const email = {
  ...sms,
  data: { ...sms.data, communicationType: 'email', lineId: 'line_b', meta: { priority: 1, tags: [] } },
};

function invalid(filter: unknown): DomainError {
  try {
    compileFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.InvalidFilter);
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`);
}

describe('compileFilter', () => {
  it('matches everything for null and {}', () => {
    expect(compileFilter(null)(sms)).toBe(true);
    expect(compileFilter({})(email)).toBe(true);
  });

  it('scopes to SMS only (the seed relay condition)', () => {
    const only = compileFilter({ 'data.communicationType': 'sms' });
    expect(only(sms)).toBe(true);
    expect(only(email)).toBe(false);
  });

  it('scopes to one phone line via an array field and to one channel', () => {
    expect(compileFilter({ 'data.to': '+17025550001' })(sms)).toBe(true);
    expect(compileFilter({ 'data.to': '+17025559999' })(sms)).toBe(false);
    expect(compileFilter({ 'data.lineId': { $eq: 'line_b' } })(email)).toBe(true);
    expect(compileFilter({ 'data.lineId': { $eq: 'line_b' } })(sms)).toBe(false);
  });

  it.each([
    [{ 'data.meta.priority': { $gt: 2 } }, true, false],
    [{ 'data.meta.priority': { $gte: 1, $lt: 3 } }, false, true],
    [{ 'data.meta.priority': { $lte: 1 } }, false, true],
    [{ 'data.communicationType': { $ne: 'sms' } }, false, true],
    [{ 'data.communicationType': { $in: ['sms', 'mms'] } }, true, false],
    [{ 'data.communicationType': { $nin: ['sms', 'mms'] } }, false, true],
    [{ 'data.meta.tags': 'vip' }, true, false],
    [{ 'data.meta.tags': { $in: ['vip'] } }, true, false],
    [{ 'data.media': { $exists: false } }, true, true],
    [{ 'data.text': { $exists: true } }, true, true],
    [{ 'data.text': { $regex: '^the quick', $options: 'i' } }, true, true],
    [{ $or: [{ 'data.meta.priority': 3 }, { 'data.lineId': 'line_x' }] }, true, false],
    [{ $and: [{ 'data.outbound': false }, { 'data.communicationType': 'email' }] }, false, true],
    [{ 'data.communicationType': { $not: { $eq: 'sms' } } }, false, true],
    [{ 'data.communicationType': { $not: { $regex: '^e' } } }, true, false],
    [{ type: 'message.received', workspaceId: 'ws_1' }, true, true],
  ])('%j -> sms %s, email %s', (filter, onSms, onEmail) => {
    const test = compileFilter(filter);
    expect(test(sms)).toBe(onSms);
    expect(test(email)).toBe(onEmail);
  });

  it.each([
    [{ $where: 'this.data.x == 1' }, /unsupported operator \$where/],
    [{ 'data.x': { $function: {} } }, /at data\.x\.\$function: unsupported operator \$function/],
    [{ 'data.x': { $elemMatch: { a: 1 } } }, /unsupported operator \$elemMatch/],
    [{ 'data.x': { $eq: 1, other: 2 } }, /mixes operators and field names/],
    [{ 'data.x': { $in: 'sms' } }, /\$in: expects an array/],
    [{ 'data.x': { $exists: 'yes' } }, /\$exists: expects true or false/],
    [{ 'data.x': { $gt: { a: 1 } } }, /\$gt: expects a number or a string/],
    [{ 'data.x': { $regex: '(' } }, /not a valid regular expression \(RE2 syntax\): missing closing \)/],
    [{ 'data.x': { $options: 'i' } }, /only allowed beside \$regex/],
    [{ $or: [] }, /\$or: expects a non-empty array/],
    [{ $and: {} }, /\$and: expects a non-empty array/],
    [{ 'data.__proto__.x': 1 }, /"__proto__" is not allowed/],
    [{ 'data..x': 1 }, /empty path segment/],
    [{ 'data.x': { $not: 'sms' } }, /\$not: expects an object of operators/],
    [{ 'data.x': { nested: { $gt: 1 } } }, /operator \$gt is not allowed inside a literal value/],
    [['data.x'], /must be a JSON object/],
    ['sms', /must be a JSON object/],
  ])('rejects %j', (filter, message) => {
    expect(invalid(filter).message).toMatch(message);
  });

  it('bounds size and depth', () => {
    let deep: Record<string, unknown> = { 'data.x': 1 };
    for (let i = 0; i < 20; i++) deep = { $and: [deep] };
    expect(invalid(deep).message).toMatch(/nested deeper/);
    const wide = { $or: Array.from({ length: 600 }, (_, i) => ({ [`data.f${i}`]: i })) };
    expect(invalid(wide).message).toMatch(/more than 500 conditions/);
  });
});

describe('$regex (RE2)', () => {
  const text = (value: unknown) => ({ ...sms, data: { ...sms.data, text: value } });
  const matches = (regex: string, options: string | undefined, value: unknown) =>
    compileFilter({
      'data.text': options === undefined ? { $regex: regex } : { $regex: regex, $options: options },
    })(text(value));

  it.each([
    ['^The quick', undefined, 'The quick brown fox', true],
    ['^quick', undefined, 'The quick brown fox', false],
    ['fox$', undefined, 'The quick brown fox', true],
    ['fox$', undefined, 'The quick brown fox\n', false],
    ['^the QUICK', 'i', 'The quick brown fox', true],
    ['^the QUICK', undefined, 'The quick brown fox', false],
    ['^second$', 'm', 'first\nsecond\nthird', true],
    ['^second$', undefined, 'first\nsecond\nthird', false],
    ['first.second', 's', 'first\nsecond', true],
    ['first.second', undefined, 'first\nsecond', false],
    ['^\\+1702\\d{7}$', undefined, '+17025550000', true],
    ['^\\+1702\\d{7}$', undefined, '+1702555000', false],
    ['\\bfox\\b', undefined, 'The quick brown fox', true],
    ['\\bfo\\b', undefined, 'The quick brown fox', false],
    ['^[A-Z][a-z]+\\s\\w+', undefined, 'The quick', true],
    ['(?i)^(stop|unsubscribe)$', undefined, 'STOP', true],
    ['^(?P<word>\\w+)$', undefined, 'hello', true],
    ['^(?<word>\\w+)$', undefined, 'hello', true],
    ['^a.c$', 'u', 'a\u{1F600}c', true],
    ['^caf\\x{e9}$', 'i', 'CAF\u00c9', true],
  ])('%s with options %s on %j -> %s', (regex, options, value, expected) => {
    expect(matches(regex, options, value)).toBe(expected);
  });

  it('never matches a value that is not a string, as before', () => {
    for (const value of [42, true, null, { a: 'x' }, undefined])
      expect(matches('.*', undefined, value)).toBe(false);
    expect(matches('^4', undefined, 42)).toBe(false);
  });

  it('tests each string of an array, and $not inverts with its options', () => {
    expect(compileFilter({ 'data.to': { $regex: '0001$' } })(sms)).toBe(true);
    expect(compileFilter({ 'data.to': { $regex: '9999$' } })(sms)).toBe(false);
    const notSms = compileFilter({ 'data.communicationType': { $not: { $regex: '^SMS$', $options: 'i' } } });
    expect(notSms(sms)).toBe(false);
    expect(notSms(email)).toBe(true);
  });

  it.each([
    ['(a)\\1', undefined, /backreferences .* are not supported/],
    ['(?<n>a)\\k<n>', undefined, /backreferences .* are not supported/],
    ['a(?=b)', undefined, /lookahead and lookbehind .* are not supported/],
    ['a(?!b)', undefined, /lookahead and lookbehind .* are not supported/],
    ['(?<=a)b', undefined, /lookahead and lookbehind .* are not supported/],
    ['(?<!a)b', undefined, /lookahead and lookbehind .* are not supported/],
    ['\\u0041', undefined, /not a valid regular expression \(RE2 syntax\): invalid escape sequence at `\\u`/],
    ['a{1001}', undefined, /invalid repeat count/],
    ['abc', 'x', /at data\.text\.\$options: unsupported \$options flag "x"; filters support i, m, s/],
    ['abc', 'g', /unsupported \$options flag "g"/],
    ['abc', 'iy', /unsupported \$options flag "y"/],
  ])('refuses %s (options %s) naming the problem', (regex, options, message) => {
    const filter = {
      'data.text': options === undefined ? { $regex: regex } : { $regex: regex, $options: options },
    };
    expect(invalid(filter).message).toMatch(message);
  });

  it('refuses at save a pattern longer than the configured limit, and compiles it once stored', () => {
    // One character class: long to read, cheap to run.
    const pattern = `^[${'abcdefghij'.repeat(30)}]+$`;
    const filter = { 'data.text': { $regex: pattern } };
    expect(() => validateFilter(filter, DEFAULT_FILTER_REGEX_LIMITS)).toThrow(
      /at data\.text\.\$regex: regular expression longer than 256 characters/,
    );
    expect(() =>
      validateFilter(filter, { ...DEFAULT_FILTER_REGEX_LIMITS, maxLength: pattern.length }),
    ).not.toThrow();
    // A limit lowered after saving never breaks matching a stored filter.
    expect(compileFilter(filter)(text('jabberwocky'))).toBe(false);
    expect(compileFilter(filter)(text('badjiffed'))).toBe(true);
  });

  it("refuses at save patterns whose cost adds up past the filter's budget", () => {
    const big = { 'data.text': { $regex: '[ab]{120}' } };
    expect(() => validateFilter(big, DEFAULT_FILTER_REGEX_LIMITS)).toThrow(
      /regular expressions too costly to run: they add up to 12\d, at most 100 per filter/,
    );
    // Five tiny patterns cost at least 25 each: 125.
    const many = { $or: ['a', 'b', 'c', 'd', 'e'].map((letter) => ({ 'data.text': { $regex: letter } })) };
    expect(() => validateFilter(many, DEFAULT_FILTER_REGEX_LIMITS)).toThrow(
      /they add up to 125, at most 100/,
    );
    const four = { $or: ['a', 'b', 'c', 'd'].map((letter) => ({ 'data.text': { $regex: letter } })) };
    expect(() => validateFilter(four, DEFAULT_FILTER_REGEX_LIMITS)).not.toThrow();
    expect(() => validateFilter(big, { ...DEFAULT_FILTER_REGEX_LIMITS, maxTotalCost: 200 })).not.toThrow();
  });
});
