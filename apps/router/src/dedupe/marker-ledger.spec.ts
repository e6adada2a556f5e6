import { MarkerLedger } from './marker-ledger';

describe('MarkerLedger', () => {
  it('hands out the markers written at or before the cutoff, once', () => {
    const ledger = new MarkerLedger(100);
    ledger.seen('late', 50);
    ledger.seen('a', 10);
    ledger.seen('b', 20);
    expect(ledger.takeExpired(20, 10)).toEqual(['a', 'b']);
    expect(ledger.takeExpired(20, 10)).toEqual([]);
    expect(ledger.size).toBe(1);
  });

  it('keeps the first time a marker was seen', () => {
    const ledger = new MarkerLedger(100);
    ledger.seen('a', 10);
    ledger.seen('a', 99);
    expect(ledger.takeExpired(10, 10)).toEqual(['a']);
  });

  it('limits how many it hands out at a time', () => {
    const ledger = new MarkerLedger(100);
    for (let i = 0; i < 5; i++) ledger.seen(`k${i}`, i);
    expect(ledger.takeExpired(10, 2)).toEqual(['k0', 'k1']);
    expect(ledger.size).toBe(3);
  });

  it('forgets tombstoned markers and the oldest beyond its bound', () => {
    const ledger = new MarkerLedger(2);
    ledger.seen('a', 1);
    ledger.seen('b', 2);
    ledger.seen('c', 3);
    ledger.forget('c');
    expect(ledger.takeExpired(10, 10)).toEqual(['b']);
  });

  it('takes back markers whose tombstones failed, due at the next prune', () => {
    const ledger = new MarkerLedger(10);
    ledger.seen('a', 1_000);
    const taken = ledger.takeExpired(1_000, 10);
    ledger.restore(taken);
    expect(ledger.takeExpired(0, 10)).toEqual(['a']);
  });
});
