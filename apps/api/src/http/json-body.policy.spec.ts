import { bodyProblem, forbiddenKeyPath, jsonDepthExceeds } from './json-body.policy';

describe('jsonDepthExceeds', () => {
  const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it('allows nesting up to the limit and refuses one level more', () => {
    expect(jsonDepthExceeds(nested(64), 64)).toBe(false);
    expect(jsonDepthExceeds(nested(65), 64)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(65) + ']'.repeat(65), 64)).toBe(true);
  });

  it('refuses 20,000 levels without recursing', () => {
    expect(jsonDepthExceeds('['.repeat(20_000) + ']'.repeat(20_000), 64)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" and "{{{"', c: ['\\', '[['] });
    expect(jsonDepthExceeds(text, 2)).toBe(false);
  });

  it('counts siblings once, not as depth', () => {
    expect(jsonDepthExceeds(JSON.stringify(Array.from({ length: 1000 }, () => ({ a: [1] }))), 3)).toBe(false);
  });
});

describe('forbiddenKeyPath', () => {
  it.each([
    ['{"__proto__":{"x":1}}', '__proto__'],
    ['{"filter":{"__proto__":{"type":"sms"}}}', 'filter.__proto__'],
    ['{"filter":{"$or":[{"a":1},{"constructor":{"prototype":1}}]}}', 'filter.$or[1].constructor'],
    ['{"headers":{"prototype":"x"}}', 'headers.prototype'],
    ['{"filter":{"toString":"x"}}', 'filter.toString'],
    ['{"hasOwnProperty":1}', 'hasOwnProperty'],
    ['{"filter":{"data.__proto__.polluted":"yes"}}', 'filter.data.__proto__.polluted'],
    ['{"filter":{"data.constructor":{"$exists":true}}}', 'filter.data.constructor'],
  ])('names the key path in %s', (text, path) => {
    expect(forbiddenKeyPath(JSON.parse(text))).toBe(path);
  });

  it('passes ordinary bodies, including such words as values and inside longer keys', () => {
    const body = {
      url: 'https://example.com/constructor',
      eventTypes: ['__proto__', 'prototype'],
      filter: { 'data.constructorName': 'x', 'data.proto': { $in: ['constructor'] } },
      headers: { 'X-Prototype-Id': '1' },
    };
    expect(forbiddenKeyPath(body)).toBeUndefined();
    expect(forbiddenKeyPath(null)).toBeUndefined();
    expect(forbiddenKeyPath('__proto__')).toBeUndefined();
  });
});

describe('bodyProblem: text that cannot be stored as sent', () => {
  it.each([
    ['{"description":"a\\u0000b"}', 'description'],
    ['{"filter":{"data.x":"\\ud800"}}', 'filter.data.x'],
    ['{"filter":{"\\udc00":1}}', 'filter.\udc00'],
    ['{"eventTypes":["ok","\\udfff\\ud800"]}', 'eventTypes[1]'],
  ])('finds %s', (text, path) => {
    expect(bodyProblem(JSON.parse(text))).toEqual({ path, kind: 'unstorable-text' });
  });

  it('passes paired surrogates, other control characters and any script', () => {
    expect(bodyProblem({ d: '😀 \t\n\u0001 ünïcödé 日本語 \u202e' })).toBeUndefined();
  });
});
