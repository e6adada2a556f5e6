import type { FilterPredicate } from './payload-filter';

/** The event fields matching reads; filters see the whole envelope. */
export interface MatchableEvent {
  type: string;
  workspaceId: string;
  data?: unknown;
}

/**
 * One top-level condition of a filter (a filter's top-level keys are ANDed), compiled once and shared
 * by every endpoint whose filter contains it, and evaluated at most once per event.
 */
export interface SharedCondition {
  key: string;
  test: FilterPredicate;
  /** A scalar equality on this condition's path, checked before sift to reject cheaply. */
  guard: EqualityGuard | null;
  users: number;
  /** The match() call whose result `result` holds. */
  stamp: number;
  result: boolean;
}

/** JSON with object keys sorted, so equal filters share one compiled predicate. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface EqualityGuard {
  path: string[];
  /** The scalars the field may equal for the condition to have a chance. */
  values: Set<string | number | boolean>;
}

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * `{"data.lineId": "l1"}`, `{"data.lineId": {"$eq": "l1"}}` and `{"data.lineId": {"$in": ["l1", "l2"]}}`
 * are necessary conditions: an event whose field holds another scalar, or nothing, cannot match.
 * Arrays and objects along the path are left to sift, whose matching stays the only verdict.
 */
export function equalityGuard(field: string, condition: unknown): EqualityGuard | null {
  if (field.startsWith('$')) return null;
  const path = field.split('.');
  if (isScalar(condition)) return { path, values: new Set([condition]) };
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return null;
  const operators = condition as Record<string, unknown>;
  if (Object.keys(operators).length !== 1) return null;
  if (isScalar(operators.$eq)) return { path, values: new Set([operators.$eq]) };
  if (Array.isArray(operators.$in) && operators.$in.length > 0 && operators.$in.every(isScalar)) {
    return { path, values: new Set(operators.$in) };
  }
  return null;
}

function passesGuard(guard: EqualityGuard, event: MatchableEvent): boolean {
  let current: unknown = event;
  for (const segment of guard.path) {
    if (current === null || current === undefined) return false;
    if (typeof current !== 'object' || Array.isArray(current)) break;
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === null || current === undefined) return false;
  return typeof current === 'object' || guard.values.has(current as Scalar);
}

/** Every condition holds for this event; each shared condition is evaluated once per match() call. */
export function holds(conditions: SharedCondition[], event: MatchableEvent, stamp: number): boolean {
  for (const condition of conditions) {
    if (condition.stamp !== stamp) {
      condition.stamp = stamp;
      condition.result =
        (condition.guard === null || passesGuard(condition.guard, event)) && safeTest(condition.test, event);
    }
    if (!condition.result) return false;
  }
  return true;
}

/** A filter that throws on an odd payload is a non-match, never a crash. */
function safeTest(filter: FilterPredicate, event: MatchableEvent): boolean {
  try {
    return filter(event);
  } catch {
    return false;
  }
}
