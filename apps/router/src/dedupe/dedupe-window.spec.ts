import { DedupeWindow } from './dedupe-window';

const HOUR = 3_600_000;

describe('DedupeWindow', () => {
  it('remembers an id for the window, then forgets it', () => {
    const window = new DedupeWindow(24 * HOUR, 100);
    const key = DedupeWindow.key('ws_1', 'evt_1');
    window.record(key, 0, 0);
    expect(window.has(key, 1)).toBe(true);
    expect(window.has(key, 24 * HOUR - 1)).toBe(true);
    expect(window.has(key, 24 * HOUR)).toBe(false);
    expect(window.size).toBe(0);
  });

  it('keys by workspace and event id without collisions', () => {
    expect(DedupeWindow.key('a:b', 'c')).not.toBe(DedupeWindow.key('a', 'b:c'));
    const window = new DedupeWindow(HOUR, 100);
    window.record(DedupeWindow.key('ws_1', 'evt_1'), 0, 0);
    expect(window.has(DedupeWindow.key('ws_2', 'evt_1'), 1)).toBe(false);
  });

  it('ignores sightings already outside the window (a rebuild from old markers)', () => {
    const window = new DedupeWindow(HOUR, 100);
    window.record('k', 0, HOUR + 1);
    expect(window.size).toBe(0);
  });

  it('keeps the first sighting', () => {
    const window = new DedupeWindow(HOUR, 100);
    window.record('k', 100, 100);
    window.record('k', 5_000, 5_000);
    expect(window.has('k', HOUR + 101)).toBe(false);
  });

  it('bounds memory by forgetting the oldest first', () => {
    const window = new DedupeWindow(HOUR, 3);
    for (let i = 0; i < 5; i++) window.record(`k${i}`, i, i);
    expect(window.size).toBe(3);
    expect(window.has('k0', 10)).toBe(false);
    expect(window.has('k1', 10)).toBe(false);
    expect(window.has('k4', 10)).toBe(true);
  });

  it('prunes expired entries from the front and returns them', () => {
    const window = new DedupeWindow(1_000, 100);
    window.record('a', 0, 0);
    window.record('b', 500, 500);
    window.record('c', 900, 900);
    expect(window.prune(1_600)).toEqual(['a', 'b']);
    expect(window.size).toBe(1);
    expect(window.prune(1_600, 1)).toEqual([]);
  });
});
