import { EndpointLimiter } from './endpoint.limiter';

describe('EndpointLimiter', () => {
  it('caps in-flight per endpoint and globally without blocking other endpoints', () => {
    const limiter = new EndpointLimiter({ global: 3, workspace: 3 });
    expect(limiter.tryAcquire('w1', 'a', 2, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('w2', 'a', 2, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('w3', 'a', 2, null, 0)).toBe('concurrency');
    expect(limiter.tryAcquire('w4', 'b', 2, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('w5', 'c', 2, null, 0)).toBe('global');
    limiter.release('a');
    expect(limiter.tryAcquire('w5', 'c', 2, null, 0)).toBe('ok');
  });

  it('refuses a workspace holding its share, across its endpoints, while others still get slots', () => {
    const limiter = new EndpointLimiter({ global: 10, workspace: 4 });
    for (const endpoint of ['a1', 'a1', 'a2', 'a3'])
      expect(limiter.tryAcquire('A', endpoint, 10, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('A', 'a4', 10, null, 0)).toBe('workspace');
    expect(limiter.tryAcquire('A', 'a1', 10, null, 0)).toBe('workspace');
    for (let i = 0; i < 4; i++) expect(limiter.tryAcquire('B', 'b1', 10, null, 0)).toBe('ok');
    // One endpoint alone is clamped to the share, so it waits on its own cap.
    expect(limiter.tryAcquire('B', 'b1', 10, null, 0)).toBe('concurrency');
    expect(limiter.tryAcquire('B', 'b2', 10, null, 0)).toBe('workspace');
    expect(limiter.tryAcquire('C', 'c1', 10, null, 0)).toBe('ok');
    expect(limiter.workspaceInFlight('A')).toBe(4);
    expect(limiter.inFlight()).toBe(9);
    limiter.release('a2');
    expect(limiter.workspaceInFlight('A')).toBe(3);
    expect(limiter.tryAcquire('A', 'a4', 10, null, 0)).toBe('ok');
  });

  it("clamps an endpoint's maxInFlight to the workspace share and the global cap", () => {
    const limiter = new EndpointLimiter({ global: 8, workspace: 3 });
    expect(limiter.endpointCap(10_000)).toBe(3);
    expect(limiter.endpointCap(2)).toBe(2);
    expect(limiter.endpointCap(0)).toBe(1);
    let sent = 0;
    while (limiter.tryAcquire('A', 'a', 10_000, null, 0) === 'ok') sent += 1;
    expect(sent).toBe(3);
    // A share above the global cap is cut down to it.
    expect(new EndpointLimiter({ global: 4, workspace: 100 }).caps).toEqual({ global: 4, workspace: 4 });
    expect(new EndpointLimiter(5).caps).toEqual({ global: 5, workspace: 5 });
  });

  it('keeps its books straight when releasing: an unmatched release frees nothing', () => {
    const limiter = new EndpointLimiter({ global: 2, workspace: 2 });
    expect(limiter.tryAcquire('A', 'a', 5, null, 0)).toBe('ok');
    expect(limiter.release('a')).toBe('A');
    expect(limiter.release('a')).toBeUndefined();
    expect(limiter.release('never')).toBeUndefined();
    expect(limiter.inFlight()).toBe(0);
    expect(limiter.tryAcquire('A', 'a', 5, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('B', 'b', 5, null, 0)).toBe('ok');
    // Double releases earlier did not make room for a third attempt.
    expect(limiter.tryAcquire('C', 'c', 5, null, 0)).toBe('global');
  });

  it('enforces a requests-per-second budget', () => {
    const limiter = new EndpointLimiter(100);
    let sent = 0;
    for (let t = 0; t < 3_000; t += 10) {
      if (limiter.tryAcquire('w', 'a', 100, 5, t) === 'ok') {
        sent += 1;
        limiter.release('a', t);
      }
    }
    // 5 at start plus 5 per second over 3 s
    expect(sent).toBeGreaterThanOrEqual(15);
    expect(sent).toBeLessThanOrEqual(20);
  });

  it('drops the state of idle endpoints and workspaces, so memory follows what is in flight', () => {
    const limiter = new EndpointLimiter({ global: 100_000, workspace: 100 });
    for (let i = 0; i < 2_000; i++) {
      expect(limiter.tryAcquire(`w${i % 500}`, `e${i}`, 1, null, 0)).toBe('ok');
      limiter.release(`e${i}`, 0);
    }
    expect(limiter.size).toEqual({ endpoints: 0, workspaces: 0 });

    // A drained bucket is kept (or a refusal would hand out a fresh burst) only until it has refilled.
    for (let i = 0; i < 1_000; i++) {
      expect(limiter.tryAcquire('w', `r${i}`, 5, 1, 0)).toBe('ok');
      limiter.release(`r${i}`, 0);
      expect(limiter.tryAcquire('w', `r${i}`, 5, 1, 0)).toBe('rate');
    }
    expect(limiter.size).toEqual({ endpoints: 1_000, workspaces: 0 });
    expect(limiter.msUntilToken('r0', 1)).toBe(1_000);
    limiter.tryAcquire('w', 'other', 5, null, 1_000);
    limiter.release('other', 1_000);
    expect(limiter.size).toEqual({ endpoints: 0, workspaces: 0 });
    // Recreated full, which is what the refilled bucket held.
    expect(limiter.tryAcquire('w', 'r0', 5, 1, 1_000)).toBe('ok');
  });
});
