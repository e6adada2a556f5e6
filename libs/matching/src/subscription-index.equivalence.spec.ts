import type { EndpointSnapshot } from '@herald/contracts';
import { sampleEndpointSnapshot } from '@herald/testing/fixtures';
import { compileFilter } from './payload-filter';
import { SubscriptionIndex } from './subscription-index';

/*
 * The index decides $eq/$ne/$in/$nin/$exists itself on scalars, absent and null fields, and buckets
 * endpoints by equalities; sift (payload-filter.ts) stays the reference. Random filters and payloads,
 * shaped to hit every case the index tells apart (arrays and objects along the path, strings read
 * through, inherited properties, null, missing), must give exactly what the plain evaluator gives.
 */

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const PATHS = [
  'type',
  'data.a',
  'data.b',
  'data.n',
  'data.arr',
  'data.arr.0',
  'data.arr.x',
  'data.obj',
  'data.obj.x',
  'data.nul',
  'data.nul.x',
  'data.s.length',
  'data.missing',
  'data.missing.deeper',
  'data.toString',
  'data.lineId',
];
const SCALARS: unknown[] = ['x', 'y', '1', 1, 0, 2.5, true, false, null, 'message.received'];
const LITERALS: unknown[] = [...SCALARS, [], ['x'], ['x', 'y'], { x: 'x' }, {}];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

function list(random: Random, from: readonly unknown[]): unknown[] {
  return Array.from({ length: Math.floor(random() * 4) }, () => pick(random, from));
}

function operand(random: Random): unknown {
  const roll = random();
  if (roll < 0.2) return pick(random, LITERALS);
  if (roll < 0.3) return { $eq: pick(random, LITERALS) };
  if (roll < 0.45) return { $ne: pick(random, LITERALS) };
  if (roll < 0.6) return { $in: list(random, random() < 0.8 ? SCALARS : LITERALS) };
  if (roll < 0.7) return { $nin: list(random, LITERALS) };
  if (roll < 0.8) return { $exists: random() < 0.5 };
  if (roll < 0.85) return { $ne: pick(random, SCALARS), $exists: random() < 0.7 };
  if (roll < 0.88) return { $in: list(random, SCALARS), $nin: list(random, SCALARS) };
  if (roll < 0.92) return { $gt: pick(random, [0, 1, 'a']) };
  if (roll < 0.96) return { $regex: pick(random, ['^x', 'y$', '1']) };
  return { $not: { $eq: pick(random, SCALARS) } };
}

function query(random: Random, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const keys = 1 + Math.floor(random() * 3);
  for (let k = 0; k < keys; k++) {
    const roll = random();
    if (depth < 2 && roll < 0.1) {
      result[random() < 0.5 ? '$or' : '$and'] = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        query(random, depth + 1),
      );
    } else result[pick(random, PATHS)] = operand(random);
  }
  return result;
}

function value(random: Random, depth = 0): unknown {
  const roll = random();
  if (roll < 0.55 || depth > 1) return pick(random, SCALARS);
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 3) }, () => value(random, depth + 1));
  if (roll < 0.9) return { x: value(random, depth + 1) };
  return {};
}

function payload(random: Random): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of ['a', 'b', 'n', 'arr', 'obj', 'nul', 's', 'toString', 'lineId']) {
    const roll = random();
    if (roll < 0.2) continue;
    if (field === 'nul') data.nul = roll < 0.6 ? null : value(random);
    else if (field === 's') data.s = roll < 0.6 ? 'hello' : value(random);
    else if (field === 'lineId') data.lineId = pick(random, ['l1', 'l2', 7]);
    else data[field] = value(random);
  }
  return data;
}

function endpoint(id: string, filter: unknown, random: Random): EndpointSnapshot {
  return sampleEndpointSnapshot({
    id,
    workspaceId: 'ws_1',
    eventTypes: random() < 0.8 ? ['*'] : ['message.received'],
    filter: filter as EndpointSnapshot['filter'],
    ...(random() < 0.15 ? { line: 'l1' } : {}),
  });
}

function expected(endpoints: EndpointSnapshot[], event: { type: string; data: unknown }): string[] {
  const line = (event.data as { lineId?: unknown }).lineId;
  return endpoints
    .filter((snapshot) => {
      if (!snapshot.eventTypes.includes('*') && !snapshot.eventTypes.includes(event.type)) return false;
      if (snapshot.line != null && snapshot.line !== line) return false;
      try {
        return compileFilter(snapshot.filter)(event);
      } catch {
        return false;
      }
    })
    .map((snapshot) => snapshot.id)
    .sort();
}

describe('SubscriptionIndex against the plain evaluator', () => {
  it('matches exactly the endpoints whose filter sift accepts, on random filters and payloads', () => {
    const random = rng(2121);
    let checked = 0;
    let matchedSome = 0;
    for (let round = 0; round < 150; round++) {
      const index = new SubscriptionIndex();
      let endpoints = Array.from({ length: 40 }, (_, i) => endpoint(`ep_${i}`, query(random, 0), random));
      endpoints.forEach((snapshot) => index.upsert(snapshot));
      // Some replaced and removed, so shared conditions, paths and buckets are released and rebuilt.
      for (let i = 0; i < 5; i++) {
        const replaced = { ...endpoint(`ep_${i}`, query(random, 0), random), version: 2 };
        index.upsert(replaced);
        endpoints[i] = replaced;
      }
      index.remove('ep_39');
      endpoints = endpoints.filter((snapshot) => snapshot.id !== 'ep_39');
      for (let e = 0; e < 25; e++) {
        const event = {
          id: `evt_${e}`,
          type: random() < 0.5 ? 'message.received' : 'lead.created',
          workspaceId: 'ws_1',
          occurredAt: '',
          data: payload(random),
        };
        const want = expected(endpoints, event);
        const got = index
          .match(event)
          .map((snapshot) => snapshot.id)
          .sort();
        expect({ event, got }).toEqual({ event, got: want });
        checked += 1;
        if (want.length > 0) matchedSome += 1;
      }
    }
    // The generator reaches both verdicts often, or the comparison would say little.
    expect(checked).toBe(3750);
    expect(matchedSome).toBeGreaterThan(checked / 2);
  });

  it('gives each endpoint once when its equality anchor has repeated values', () => {
    const index = new SubscriptionIndex();
    const snapshot = sampleEndpointSnapshot({
      id: 'a',
      workspaceId: 'ws_1',
      eventTypes: ['*'],
      filter: { 'data.a': { $in: ['x', 'x'] } },
    });
    index.upsert(snapshot);
    const event = { type: 'message.received', workspaceId: snapshot.workspaceId, data: { a: 'x' } };
    expect(index.match(event).map((e) => e.id)).toEqual(['a']);
  });

  it('tells an absent field from a null one, and reads neither inherited nor string properties itself', () => {
    const index = new SubscriptionIndex();
    const filters: Record<string, unknown> = {
      exists: { 'data.f': { $exists: true } },
      notExists: { 'data.f': { $exists: false } },
      isNull: { 'data.f': null },
      length: { 'data.f.length': 5 },
      inherited: { 'data.toString': { $exists: true } },
    };
    for (const [id, filter] of Object.entries(filters)) {
      index.upsert(
        sampleEndpointSnapshot({ id, workspaceId: 'ws_1', eventTypes: ['*'], filter: filter as never }),
      );
    }
    const ids = (data: unknown) =>
      index
        .match({ type: 'message.received', workspaceId: 'ws_1', data })
        .map((e) => e.id)
        .sort();
    expect(ids({})).toEqual(['isNull', 'notExists']);
    expect(ids({ f: null })).toEqual(['exists', 'isNull']);
    expect(ids({ f: 'hello' })).toEqual(['exists', 'length']);
    expect(ids({ f: 'hello', toString: 1 })).toEqual(['exists', 'inherited', 'length']);
  });
});
