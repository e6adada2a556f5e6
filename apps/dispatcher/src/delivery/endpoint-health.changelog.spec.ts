import type { Kafka } from 'kafkajs';
import { encodeEndpointHealth, endpointHealth, KafkaHeaders } from '@herald/contracts';
import { FailureStreaks } from '@herald/delivery';
import type { ReadinessRegistry } from '@herald/telemetry';
import type { EndpointDirectory } from '../endpoints/endpoint-directory';
import { EndpointHealthChangelog } from './endpoint-health.changelog';

function setup() {
  const streaks = new FailureStreaks();
  const readiness = { register: jest.fn() } as unknown as ReadinessRegistry;
  const changelog = new EndpointHealthChangelog(
    {} as Kafka,
    readiness,
    streaks,
    {} as EndpointDirectory,
    'me',
  );
  return { changelog, streaks };
}

const record = (endpointId: string, version: number, failingSince: string) =>
  Buffer.from(encodeEndpointHealth(endpointHealth({ endpointId, version, failingSince })));

describe('EndpointHealthChangelog', () => {
  it('loads streaks another process wrote, ends them on tombstones, and skips its own', () => {
    const { changelog, streaks } = setup();
    const other = { [KafkaHeaders.healthWriter]: 'previous' };
    changelog.apply('ep', record('ep', 3, '2026-06-01T00:00:00.000Z'), other);
    expect(streaks.get('ep')).toEqual({ version: 3, failingSince: Date.parse('2026-06-01T00:00:00.000Z') });
    // Its own records are older than its memory.
    changelog.apply('ep', null, { [KafkaHeaders.healthWriter]: 'me' });
    expect(streaks.get('ep')).toBeDefined();
    changelog.apply('ep', null, other);
    expect(streaks.get('ep')).toBeUndefined();
  });

  it('ignores records that are not an EndpointHealth of their key', () => {
    const { changelog, streaks } = setup();
    changelog.apply('ep', Buffer.from('{"kind":"nope"}'), {});
    changelog.apply('ep', record('other', 1, '2026-06-01T00:00:00.000Z'), {});
    expect(streaks.size).toBe(0);
  });

  it('keeps the failing level a streak already announced, so a restart never announces it again', () => {
    const { changelog, streaks } = setup();
    const failingSince = '2026-06-01T00:00:00.000Z';
    const value = encodeEndpointHealth(
      endpointHealth({ endpointId: 'ep', version: 3, failingSince, threshold: 70 }),
    );
    changelog.apply('ep', Buffer.from(value), { [KafkaHeaders.healthWriter]: 'previous' });
    expect(streaks.get('ep')).toEqual({ version: 3, failingSince: Date.parse(failingSince), threshold: 70 });
  });
});
