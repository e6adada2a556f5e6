import { EVENT_TYPES } from '@herald/contracts';
import { uncataloguedReason } from './subscribed-types.policy';

describe('uncataloguedReason', () => {
  it('accepts catalogued types, wildcards matching one and *', () => {
    expect(uncataloguedReason('message.received')).toBeNull();
    expect(uncataloguedReason('message.*')).toBeNull();
    expect(uncataloguedReason('*')).toBeNull();
    for (const type of EVENT_TYPES) expect(uncataloguedReason(type)).toBeNull();
  });

  it('names an exact type the catalogue lacks', () => {
    expect(uncataloguedReason('message.deleted')).toMatch(/^message\.deleted is not an event type/);
  });

  it('names a wildcard that matches no catalogued type', () => {
    expect(uncataloguedReason('invoice.*')).toMatch(/^invoice\.\* matches no event type/);
    // A prefix must end at a segment boundary: `mess.*` does not match `message.received`.
    expect(uncataloguedReason('mess.*', ['message.received'])).not.toBeNull();
  });
});
