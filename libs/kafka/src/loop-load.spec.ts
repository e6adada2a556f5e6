import type { EventLoopUtilization } from 'node:perf_hooks';
import { LoopLoad } from './loop-load';

/** A fake clock of event-loop time: `active` and `idle` ms so far. */
function fakeLoop() {
  const state = { active: 0, idle: 0 };
  const read = (a?: EventLoopUtilization, b?: EventLoopUtilization): EventLoopUtilization => {
    if (a && b) {
      const active = a.active - b.active;
      const idle = a.idle - b.idle;
      return { active, idle, utilization: active / (active + idle) };
    }
    return { ...state, utilization: state.active / (state.active + state.idle || 1) };
  };
  return { state, read };
}

describe('LoopLoad', () => {
  it('reports the utilisation of the last completed window, zero before the first', () => {
    const loop = fakeLoop();
    const load = new LoopLoad(100, loop.read);
    loop.state.active = 30;
    loop.state.idle = 20;
    expect(load.utilization()).toBe(0);
    loop.state.active = 80;
    loop.state.idle = 20;
    expect(load.utilization()).toBe(0.8);
    loop.state.active = 90;
    loop.state.idle = 60;
    // Window not complete yet (50 ms): still the last one's figure.
    expect(load.utilization()).toBe(0.8);
    loop.state.idle = 110;
    expect(load.utilization()).toBe(0.1);
  });
});
