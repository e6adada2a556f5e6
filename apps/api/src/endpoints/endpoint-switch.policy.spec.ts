import { endpointSwitchEvent } from './endpoint-switch.policy';

describe('endpointSwitchEvent', () => {
  it('announces a re-enabled endpoint as endpoint.enabled', () => {
    expect(endpointSwitchEvent(true, false)).toMatchObject({ type: 'endpoint.enabled' });
  });

  it('announces a user disabling an endpoint as endpoint.disabled with cause manual', () => {
    expect(endpointSwitchEvent(false, true)).toMatchObject({
      type: 'endpoint.disabled',
      details: { cause: 'manual' },
    });
  });

  it('announces nothing when the state does not change', () => {
    expect(endpointSwitchEvent(false, false)).toBeNull();
    expect(endpointSwitchEvent(true, true)).toBeNull();
  });
});
