import { KafkaHeaders } from '@herald/contracts';
import { endpointRefOf, isBehind } from './endpoint-freshness.policy';

describe('endpoint freshness', () => {
  it('reads the endpoint from the key and the routed version from its header', () => {
    expect(
      endpointRefOf({
        key: Buffer.from('ep_1'),
        headers: { [KafkaHeaders.endpointVersion]: Buffer.from('7') },
      }),
    ).toEqual({ endpointId: 'ep_1', version: 7 });
    expect(endpointRefOf({ key: Buffer.from('ep_1'), headers: {} })).toEqual({ endpointId: 'ep_1' });
    expect(
      endpointRefOf({ key: Buffer.from('ep_1'), headers: { [KafkaHeaders.endpointVersion]: 'x' } }),
    ).toEqual({ endpointId: 'ep_1' });
    expect(endpointRefOf({ key: null })).toBeUndefined();
  });

  it('is behind for an endpoint never heard of', () => {
    expect(isBehind({ endpointId: 'ep_1', version: 1 }, undefined, false)).toBe(true);
    expect(isBehind({ endpointId: 'ep_1' }, undefined, false)).toBe(true);
  });

  it('is behind when holding an older version than the router matched', () => {
    expect(isBehind({ endpointId: 'ep_1', version: 3 }, { version: 2 }, false)).toBe(true);
    expect(isBehind({ endpointId: 'ep_1', version: 3 }, { version: 3 }, false)).toBe(false);
    expect(isBehind({ endpointId: 'ep_1', version: 3 }, { version: 4 }, false)).toBe(false);
    expect(isBehind({ endpointId: 'ep_1' }, { version: 1 }, false)).toBe(false);
  });

  it('is not behind for an endpoint whose tombstone was read', () => {
    expect(isBehind({ endpointId: 'ep_1', version: 3 }, undefined, true)).toBe(false);
  });
});
