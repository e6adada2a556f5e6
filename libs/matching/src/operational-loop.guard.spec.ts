import { operationalRecipients } from './operational-loop.guard';

const a = { id: 'ep_a' };
const b = { id: 'ep_b' };
const c = { id: 'ep_c' };
const about = (type: string, data: Record<string, unknown>) => ({ type, workspaceId: 'ws', data });

describe('operationalRecipients', () => {
  it('never delivers an endpoint its own trouble', () => {
    for (const type of [
      'endpoint.failing',
      'endpoint.disabled',
      'endpoint.circuit_opened',
      'endpoint.enabled',
    ]) {
      expect(operationalRecipients(about(type, { endpointId: 'ep_a' }), [a, b, c])).toEqual([b, c]);
    }
    expect(operationalRecipients(about('endpoint.recovered', { endpointId: 'ep_a' }), [a])).toEqual([]);
  });

  it('delivers an exhausted domain delivery to the other subscribers, not to its own endpoint', () => {
    const exhausted = about('delivery.exhausted', { endpointId: 'ep_a', eventType: 'message.received' });
    expect(operationalRecipients(exhausted, [a, b])).toEqual([b]);
  });

  it('does not report an exhausted delivery of an operational event: no ping-pong between failing endpoints', () => {
    const exhausted = about('delivery.exhausted', { endpointId: 'ep_b', eventType: 'endpoint.failing' });
    expect(operationalRecipients(exhausted, [a, c])).toEqual([]);
  });

  it('leaves domain events alone, even with an endpointId in their data', () => {
    const domain = about('lead.created', { id: 'l1', endpointId: 'ep_a' });
    expect(operationalRecipients(domain, [a, b])).toEqual([a, b]);
  });
});
