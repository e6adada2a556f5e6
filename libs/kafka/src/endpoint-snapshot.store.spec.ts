import type { Kafka } from 'kafkajs';
import type { EndpointSnapshot } from '@herald/contracts';
import { EndpointSnapshotStore } from './endpoint-snapshot.store';

const snapshot = (overrides: Partial<EndpointSnapshot> = {}) =>
  ({
    id: 'ep_1',
    workspaceId: 'ws_1',
    version: 1,
    url: 'https://example.test/hook',
    eventTypes: ['*'],
    ...overrides,
  }) as EndpointSnapshot;

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

function setup() {
  const checks = new Map<string, () => Promise<void>>();
  const errors: string[] = [];
  const store = new EndpointSnapshotStore({} as Kafka, {
    groupPrefix: 'test',
    readiness: { register: (name, check) => void checks.set(name, check) },
    readinessCheck: 'endpoints',
    loadingMessage: 'still loading',
    requires: { description: 'id, url or version', check: (s) => typeof s.url === 'string' },
    log: { error: (message) => void errors.push(message) },
  });
  return { store, checks, errors };
}

describe('EndpointSnapshotStore', () => {
  it('is not ready until loaded', async () => {
    const { store, checks } = setup();
    expect(store.loaded).toBe(false);
    await expect(checks.get('endpoints')!()).rejects.toThrow('still loading');
  });

  it('keeps the newest version and tells listeners only about what it takes', () => {
    const { store } = setup();
    const seen: number[] = [];
    store.onUpsert((s) => seen.push(s.version));
    store.apply('ep_1', bytes(snapshot({ version: 2 })));
    store.apply('ep_1', bytes(snapshot({ version: 1 })));
    store.applyLocal(snapshot({ version: 2, url: 'https://example.test/other' }));
    expect(store.get('ep_1')).toMatchObject({ version: 2, url: 'https://example.test/other' });
    expect(seen).toEqual([2, 2]);
  });

  it('deletes on a tombstone and tells listeners', () => {
    const { store } = setup();
    const removed: string[] = [];
    store.onRemove((id) => removed.push(id));
    store.apply('ep_1', bytes(snapshot()));
    store.remove('ep_1');
    expect(store.get('ep_1')).toBeUndefined();
    expect(store.size).toBe(0);
    expect(removed).toEqual(['ep_1']);
  });

  it('logs and ignores records that are not JSON, not keyed by their id, or lack what the service needs', () => {
    const { store, errors } = setup();
    store.apply('ep_1', Buffer.from('{not json'));
    store.apply('ep_2', bytes(snapshot()));
    store.apply('ep_1', bytes(snapshot({ version: 'x' as unknown as number })));
    store.apply('ep_1', bytes(snapshot({ url: undefined })));
    store.apply('ep_1', bytes(null));
    expect(store.size).toBe(0);
    expect(errors).toEqual([
      'endpoint ep_1: snapshot is not JSON; ignored',
      'endpoint ep_2: snapshot lacks id, url or version; ignored',
      'endpoint ep_1: snapshot lacks id, url or version; ignored',
      'endpoint ep_1: snapshot lacks id, url or version; ignored',
      'endpoint ep_1: snapshot lacks id, url or version; ignored',
    ]);
  });
});
