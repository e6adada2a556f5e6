import { AutoDisableOverlay } from './auto-disable.overlay';

describe('AutoDisableOverlay', () => {
  it('covers the endpoint only at the version the disable was asked for, until a newer snapshot', () => {
    const overlay = new AutoDisableOverlay();
    overlay.add('ep', 3);
    expect(overlay.covers({ id: 'ep', version: 3 })).toBe(true);
    // The same or an older snapshot read again does not end it.
    overlay.onSnapshot({ id: 'ep', version: 3 });
    expect(overlay.covers({ id: 'ep', version: 3 })).toBe(true);
    overlay.onSnapshot({ id: 'ep', version: 4 });
    expect(overlay.covers({ id: 'ep', version: 3 })).toBe(false);
    expect(overlay.size).toBe(0);
  });

  it('holds nothing for deleted endpoints or withdrawn requests', () => {
    const overlay = new AutoDisableOverlay();
    for (let i = 0; i < 1_000; i += 1) overlay.add(`ep_${i}`, 1);
    for (let i = 0; i < 500; i += 1) overlay.forget(`ep_${i}`);
    for (let i = 500; i < 1_000; i += 1) overlay.withdraw(`ep_${i}`, 1);
    expect(overlay.size).toBe(0);
    // A withdraw of an older request leaves a newer one alone.
    overlay.add('ep', 5);
    overlay.withdraw('ep', 4);
    expect(overlay.covers({ id: 'ep', version: 5 })).toBe(true);
  });
});
