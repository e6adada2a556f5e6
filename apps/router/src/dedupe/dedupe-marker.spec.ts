import { Topics } from '@herald/contracts';
import { dedupeMarkers, parseDedupeMarker } from './dedupe-marker';

const position = { topic: 'domain.messages', partition: 3, offset: '120' };

describe('dedupe markers', () => {
  it('writes one record per batch under a key unique to the batch and the time', () => {
    const [marker, ...rest] = dedupeMarkers(position, ['4:ws_1:e1', '4:ws_1:e2'], 1_000, 900_000);
    expect(rest).toEqual([]);
    expect(marker).toMatchObject({ topic: Topics.dedupe, key: 'domain.messages/3/120@1000' });
    expect(JSON.parse(marker.value as string)).toEqual({ seenAt: 1_000, keys: ['4:ws_1:e1', '4:ws_1:e2'] });
    expect(dedupeMarkers(position, ['4:ws_1:e1'], 1_001, 900_000)[0].key).not.toBe(marker.key);
  });

  it('splits a batch whose keys exceed the record cap, every record within it', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `4:ws_1:${'e'.repeat(40)}${i}`);
    const markers = dedupeMarkers(position, keys, 5, 1_000);
    expect(markers.length).toBeGreaterThan(4);
    expect(new Set(markers.map((m) => m.key)).size).toBe(markers.length);
    for (const m of markers) expect(Buffer.byteLength(m.value as string)).toBeLessThanOrEqual(1_000);
    expect(markers.flatMap((m) => (JSON.parse(m.value as string) as { keys: string[] }).keys)).toEqual(keys);
  });

  it('writes nothing for a batch without keys', () => {
    expect(dedupeMarkers(position, [], 5, 1_000)).toEqual([]);
  });

  it('reads batch markers and the one-event markers of older routers', () => {
    const [batch] = dedupeMarkers(position, ['k1', 'k2'], 7, 900_000);
    expect(parseDedupeMarker(batch.key!, Buffer.from(batch.value as string))).toEqual({
      seenAt: 7,
      keys: ['k1', 'k2'],
    });
    const legacy = Buffer.from(JSON.stringify({ workspaceId: 'ws_1', eventId: 'e1', seenAt: 9 }));
    expect(parseDedupeMarker('4:ws_1:e1', legacy)).toEqual({ seenAt: 9, keys: ['4:ws_1:e1'] });
  });

  it('ignores malformed markers', () => {
    for (const bad of ['nope', '{}', '{"seenAt":"x","keys":[]}', '{"seenAt":1}', 'null'])
      expect(parseDedupeMarker('k', Buffer.from(bad))).toBeNull();
  });
});
