import { generateApiKey, hashApiKey, tokensEqual } from './api-key.codec';

describe('API key codec', () => {
  it('generates high-entropy keys stored only as their sha256', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.key.slice(3));
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.prefix.length).toBeLessThan(12);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensEqual('same-token', 'same-token')).toBe(true);
    expect(tokensEqual('short', 'a much longer token')).toBe(false);
    expect(tokensEqual('', 'x')).toBe(false);
  });
});
