import { EVENT_CATALOGUE } from './event-catalogue';
import {
  endpointTakesEvent,
  eventVersionOf,
  highestEventVersion,
  payloadVersionLabel,
  pinnedVersionFor,
} from './event-version.policy';

const received = (schemaVersion?: number) => ({ type: 'message.received', schemaVersion });
const sent = (schemaVersion?: number) => ({ type: 'message.sent', schemaVersion });

describe('event version policy', () => {
  it('an event without a version is v1', () => {
    expect(eventVersionOf({})).toBe(1);
    expect(eventVersionOf({ schemaVersion: 2 })).toBe(2);
  });

  it('an unpinned endpoint takes every version', () => {
    for (const pin of [null, undefined]) {
      expect(endpointTakesEvent(pin, received())).toBe(true);
      expect(endpointTakesEvent(pin, received(2))).toBe(true);
    }
  });

  it('a pinned endpoint takes only its version of each type', () => {
    expect(endpointTakesEvent(2, received(2))).toBe(true);
    expect(endpointTakesEvent(2, received(1))).toBe(false);
    expect(endpointTakesEvent(2, received())).toBe(false);
    expect(endpointTakesEvent(1, received())).toBe(true);
    expect(endpointTakesEvent(1, received(2))).toBe(false);
  });

  it("a pin above a type's newest version takes that newest version", () => {
    expect(pinnedVersionFor('message.sent', 2)).toBe(1);
    expect(endpointTakesEvent(2, sent())).toBe(true);
    expect(pinnedVersionFor('message.received', 5)).toBe(2);
    expect(pinnedVersionFor('message.received', null)).toBeUndefined();
  });

  it('labels payloads for pinned endpoints and for events that name a version', () => {
    expect(payloadVersionLabel(1, received())).toBe(1);
    expect(payloadVersionLabel(2, received(2))).toBe(2);
    expect(payloadVersionLabel(null, received(2))).toBe(2);
    expect(payloadVersionLabel(null, received())).toBeUndefined();
  });

  it('knows the highest catalogued version', () => {
    expect(highestEventVersion(EVENT_CATALOGUE)).toBe(2);
    expect(highestEventVersion([])).toBe(1);
  });
});
