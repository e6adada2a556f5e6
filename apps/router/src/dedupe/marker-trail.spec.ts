import { MarkerTrail } from './marker-trail';

/** A promise with its settle functions exposed. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('MarkerTrail', () => {
  it('runs the commit once the markers are acknowledged, and settles the partition after it', async () => {
    const trail = new MarkerTrail();
    const markers = deferred();
    const commit = jest.fn(async () => undefined);
    trail.follow('domain.messages', 0, markers.promise, commit);
    let settled = false;
    const waiting = trail.settled('domain.messages', 0).then(() => (settled = true));
    await Promise.resolve();
    expect(commit).not.toHaveBeenCalled();
    expect(settled).toBe(false);
    markers.resolve();
    await waiting;
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('keeps partitions apart', async () => {
    const trail = new MarkerTrail();
    trail.follow('domain.messages', 0, new Promise(() => undefined), async () => undefined);
    await expect(trail.settled('domain.messages', 1)).resolves.toBeUndefined();
  });

  it('still commits after markers failed, and never rejects to the waiting batch', async () => {
    const trail = new MarkerTrail();
    const markers = deferred();
    const commit = jest.fn(async () => undefined);
    trail.follow('domain.messages', 0, markers.promise, commit);
    markers.reject(new Error('broker unavailable'));
    await expect(trail.settled('domain.messages', 0)).resolves.toBeUndefined();
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('stops trailing at shutdown and waits for the markers still being written', async () => {
    const trail = new MarkerTrail();
    const markers = deferred();
    const commit = jest.fn(async () => undefined);
    trail.follow('domain.messages', 0, markers.promise, commit);
    expect(trail.trailing).toBe(true);
    const shutdown = trail.beforeApplicationShutdown();
    expect(trail.trailing).toBe(false);
    markers.resolve();
    await shutdown;
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('settles the partition once the commit is issued, even when that commit never completes', async () => {
    const trail = new MarkerTrail();
    const commit = jest.fn(() => new Promise<void>(() => undefined));
    trail.follow('domain.messages', 0, Promise.resolve(), commit);
    await expect(trail.settled('domain.messages', 0)).resolves.toBeUndefined();
    expect(commit).toHaveBeenCalledTimes(1);
  });
});
