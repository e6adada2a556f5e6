import { fromBase64, fromHex, timingSafeEqual, toBase64, toHex, utf8 } from './bytes';
import { describe as describeSeconds } from './timestamp';

describe('byte helpers (Web APIs only, no Buffer)', () => {
  it('round-trip base64 and hex as Node encodes them', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'héllo ✓ 🎉']) {
      const bytes = utf8(text);
      expect(toBase64(bytes)).toBe(Buffer.from(text).toString('base64'));
      expect(toHex(bytes)).toBe(Buffer.from(text).toString('hex'));
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
      expect(fromHex(toHex(bytes))).toEqual(bytes);
    }
  });

  it('refuse text that is not base64 or hex rather than decoding part of it', () => {
    expect(fromBase64('ab$d')).toBeNull();
    expect(fromBase64('abcde')).toBeNull();
    expect(fromBase64('ab cd')).toBeNull();
    expect(fromHex('abc')).toBeNull();
    expect(fromHex('zz')).toBeNull();
    expect(fromHex('ABcd')).toEqual(new Uint8Array([0xab, 0xcd]));
  });

  it('timingSafeEqual is equality, whatever the lengths', () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(a, new Uint8Array([1, 2]))).toBe(false);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3, 1]))).toBe(false);
    expect(timingSafeEqual(a, new Uint8Array([]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });

  it('durations read as a person says them', () => {
    expect(describeSeconds(1)).toBe('1 second');
    expect(describeSeconds(45)).toBe('45 seconds');
    expect(describeSeconds(420)).toBe('7 minutes');
    expect(describeSeconds(3 * 3600 + 5)).toBe('3 hours');
    expect(describeSeconds(5 * 86400)).toBe('5 days');
  });
});
