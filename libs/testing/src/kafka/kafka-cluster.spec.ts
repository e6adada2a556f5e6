import { newClusterId } from './kafka-cluster';

describe('newClusterId', () => {
  it('draws again when the id would start with a dash, which the storage tool reads as an option', () => {
    // 0xf8 as the first byte encodes to '-' in base64url.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = newClusterId(() => draws.shift()!);
    expect(draws).toHaveLength(0);
    expect(id.startsWith('-')).toBe(false);
    expect(Buffer.from(id, 'base64url')).toEqual(Buffer.alloc(16, 0x01));
  });

  it('is 22 base64url characters', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
