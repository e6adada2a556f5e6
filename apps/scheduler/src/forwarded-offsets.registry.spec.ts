import { ForwardedOffsetsRegistry } from './forwarded-offsets.registry';

describe('ForwardedOffsetsRegistry', () => {
  it('remembers offsets per partition and forgets those the commit passed', () => {
    const registry = new ForwardedOffsetsRegistry();
    registry.add('t', 0, ['3', '5', '12']);
    registry.add('t', 1, ['3']);
    expect(registry.has('t', 0, '5')).toBe(true);
    expect(registry.has('t', 1, '5')).toBe(false);
    registry.releaseBelow('t', 0, '6');
    expect(registry.has('t', 0, '5')).toBe(false);
    expect(registry.has('t', 0, '12')).toBe(true);
    expect(registry.size()).toBe(2);
    registry.releaseBelow('t', 0, '100');
    expect(registry.size()).toBe(1);
  });
});
