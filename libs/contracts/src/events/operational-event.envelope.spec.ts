import { EventValidator } from '../catalogue/event.validator';
import { operationalDomainEvent, operationalEventId } from './operational-event.envelope';
import { OPERATIONAL_EVENT_TYPES, type OperationalDetails, type OperationalEvent } from './operational.event';

const SECRET_REASON = 'operator text: failure rate 50% over 60000ms, receiver said ECONNREFUSED 10.0.0.7';

/** What each producer writes today, per type. */
const DETAILS: Record<OperationalEvent['type'], { deliveryId: string | null; details?: OperationalDetails }> =
  {
    'endpoint.failing': {
      deliveryId: null,
      details: {
        threshold: 70,
        failingSince: '2026-06-01T10:00:00.000Z',
        disableAt: '2026-06-06T10:00:00.000Z',
      },
    },
    'endpoint.recovered': {
      deliveryId: null,
      details: { threshold: 90, failingSince: '2026-06-01T10:00:00.000Z' },
    },
    'endpoint.disabled': { deliveryId: 'dlv_1', details: { cause: 'endpoint_gone' } },
    'endpoint.enabled': { deliveryId: null },
    'endpoint.circuit_opened': { deliveryId: null, details: { probeAt: '2026-06-01T12:00:30.000Z' } },
    'endpoint.circuit_closed': { deliveryId: null },
    'delivery.exhausted': {
      deliveryId: 'dlv_2',
      details: { eventId: 'evt_1', eventType: 'message.received', attempts: 8 },
    },
  };

function operational(type: OperationalEvent['type']): OperationalEvent {
  return {
    kind: 'OperationalEvent',
    type,
    workspaceId: 'ws_1',
    endpointId: 'ep_1',
    reason: SECRET_REASON,
    at: '2026-06-01T12:00:00.000Z',
    ...DETAILS[type],
  };
}

describe('operationalDomainEvent', () => {
  const validator = new EventValidator();

  it.each(OPERATIONAL_EVENT_TYPES)('%s becomes a catalogue event that fits its schema', (type) => {
    const event = operationalDomainEvent(operational(type), 'op_1');
    expect(event).toMatchObject({
      id: 'op_1',
      type,
      workspaceId: 'ws_1',
      occurredAt: '2026-06-01T12:00:00.000Z',
    });
    expect(event.data).toMatchObject({ endpointId: 'ep_1' });
    expect(validator.validate(event)).toEqual({ ok: true, event });
  });

  it.each(OPERATIONAL_EVENT_TYPES)('%s carries only documented fields: never the operator reason', (type) => {
    const source = { ...operational(type), internal: 'x', details: { ...DETAILS[type].details, extra: 'x' } };
    const text = JSON.stringify(operationalDomainEvent(source as OperationalEvent, 'op_1'));
    expect(text).not.toContain('operator text');
    expect(text).not.toContain('"extra"');
    expect(text).not.toContain('"internal"');
  });

  it('names the disable cause of records written before details existed, from the command reason', () => {
    const legacy = { ...operational('endpoint.disabled'), reason: 'endpoint_failing', details: undefined };
    expect(operationalDomainEvent(legacy, 'op_1').data).toEqual({
      endpointId: 'ep_1',
      cause: 'endpoint_failing',
      deliveryId: 'dlv_1',
    });
  });
});

describe('operationalEventId', () => {
  it('is the same for the same bytes and differs for different ones', () => {
    const a = JSON.stringify(operational('endpoint.failing'));
    const b = JSON.stringify({ ...operational('endpoint.failing'), at: '2026-06-01T12:00:00.001Z' });
    expect(operationalEventId(a)).toBe(operationalEventId(Buffer.from(a)));
    expect(operationalEventId(a)).not.toBe(operationalEventId(b));
    expect(operationalEventId(a)).toMatch(/^op_[0-9a-f]{32}$/);
  });
});
