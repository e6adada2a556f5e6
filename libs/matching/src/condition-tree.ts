import { compileFilter, type FilterPredicate } from './payload-filter';

/**
 * A filter condition compiled for the subscription index: `$eq`, `$ne`, `$in`, `$nin`, `$exists` and
 * literals become plain comparisons on a path read once per event (shared by every condition on that
 * path), `$and`/`$or` combine them, and everything else runs on sift. A comparison only decides when
 * the path holds a scalar, or nothing, reached through plain objects; any other value (arrays, objects,
 * strings along the path) is left to sift, whose semantics stay the reference (payload-filter.ts).
 */

export type Scalar = string | number | boolean;

/** What a path reads in one event. */
const SCALAR = 0;
/** Missing, or null/undefined before the last segment: sift sees no key there. */
const ABSENT = 1;
/** The last key is present and holds null (or undefined). */
const NULL = 2;
/** Anything sift walks differently (arrays, objects, inherited or string properties): sift decides. */
const COMPLEX = 3;

const hasOwn = Object.prototype.hasOwnProperty;

/** One field path, read at most once per match() call and shared by every condition on it. */
export interface PathSlot {
  readonly path: string;
  readonly segments: string[];
  users: number;
  stamp: number;
  kind: number;
  value: Scalar | undefined;
}

export function readPath(slot: PathSlot, event: unknown, stamp: number): void {
  if (slot.stamp === stamp) return;
  slot.stamp = stamp;
  slot.value = undefined;
  let current: unknown = event;
  for (const segment of slot.segments) {
    if (current === null || current === undefined) {
      slot.kind = ABSENT;
      return;
    }
    if (typeof current !== 'object' || Array.isArray(current)) {
      slot.kind = COMPLEX;
      return;
    }
    if (!hasOwn.call(current, segment)) {
      slot.kind = (current as Record<string, unknown>)[segment] === undefined ? ABSENT : COMPLEX;
      return;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === null || current === undefined) slot.kind = NULL;
  else if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') {
    slot.kind = SCALAR;
    slot.value = current;
  } else slot.kind = COMPLEX;
}

/** A field's operators on a scalar, and their fixed verdicts when the field is absent or null. */
export interface LeafNode {
  readonly kind: 'leaf';
  readonly slot: PathSlot;
  readonly onScalar: (value: Scalar) => boolean;
  readonly onAbsent: boolean;
  readonly onNull: boolean;
  /** `{path: condition}`, compiled with sift the first time a complex value needs it. */
  readonly part: Record<string, unknown>;
  fallback: FilterPredicate | null;
  /** The scalars one of which the field must equal ($eq, literal, $in), for the index's buckets. */
  readonly anchor: Scalar[] | null;
}

export type ConditionNode =
  | LeafNode
  | { readonly kind: 'and' | 'or'; readonly children: ConditionNode[] }
  | { readonly kind: 'sift'; readonly test: FilterPredicate };

export type SlotSource = (path: string) => PathSlot;

const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const isOperatorObject = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((key) => key.startsWith('$'));

const FAST_OPERATORS = new Set(['$eq', '$ne', '$in', '$nin', '$exists']);

/** Compiles one query document (already validated by compileFilter): its keys are ANDed. */
export function compileQuery(query: Record<string, unknown>, slots: SlotSource): ConditionNode {
  const children = Object.entries(query).map(([key, value]) => compileEntry(key, value, slots));
  return children.length === 1 ? children[0] : { kind: 'and', children };
}

function compileEntry(key: string, value: unknown, slots: SlotSource): ConditionNode {
  if ((key === '$and' || key === '$or') && Array.isArray(value)) {
    return {
      kind: key === '$and' ? 'and' : 'or',
      children: value.map((query) => compileQuery(query as Record<string, unknown>, slots)),
    };
  }
  const part = { [key]: value };
  if (key.startsWith('$')) return { kind: 'sift', test: compileFilter(part) };
  const operators: [string, unknown][] = isOperatorObject(value) ? Object.entries(value) : [['$eq', value]];
  if (!operators.every(([op]) => FAST_OPERATORS.has(op))) return { kind: 'sift', test: compileFilter(part) };
  return leaf(slots(key), operators, part);
}

/** Each operator on a scalar and on absent/null, as sift's equals() and $exists decide them. */
function leaf(slot: PathSlot, operators: [string, unknown][], part: Record<string, unknown>): LeafNode {
  const tests: ((value: Scalar) => boolean)[] = [];
  let onAbsent = true;
  let onNull = true;
  let anchor: Scalar[] | null = null;
  for (const [op, arg] of operators) {
    switch (op) {
      case '$eq':
      case '$ne': {
        const equal = op === '$eq';
        tests.push(equal ? (value) => value === arg : (value) => value !== arg);
        // equals(null, missing or null) is true; no other literal equals either.
        onAbsent &&= (arg === null) === equal;
        onNull &&= (arg === null) === equal;
        if (equal && isScalar(arg)) anchor ??= [arg];
        break;
      }
      case '$in':
      case '$nin': {
        const list = arg as unknown[];
        const values = new Set(list);
        const within = op === '$in';
        tests.push(within ? (value) => values.has(value) : (value) => !values.has(value));
        onAbsent &&= values.has(null) === within;
        onNull &&= values.has(null) === within;
        if (within && list.length > 0 && list.every(isScalar)) anchor ??= list;
        break;
      }
      case '$exists': {
        const wanted = arg === true;
        tests.push(wanted ? () => true : () => false);
        onAbsent &&= !wanted;
        onNull &&= wanted;
        break;
      }
    }
  }
  const onScalar = tests.length === 1 ? tests[0] : (value: Scalar) => tests.every((test) => test(value));
  return { kind: 'leaf', slot, onScalar, onAbsent, onNull, part, fallback: null, anchor };
}

/** The condition's verdict for this event; the paths it reads are read once per stamp. */
export function evaluate(node: ConditionNode, event: unknown, stamp: number): boolean {
  switch (node.kind) {
    case 'leaf': {
      const slot = node.slot;
      readPath(slot, event, stamp);
      if (slot.kind === SCALAR) return node.onScalar(slot.value as Scalar);
      if (slot.kind === ABSENT) return node.onAbsent;
      if (slot.kind === NULL) return node.onNull;
      return safeTest(node, event);
    }
    case 'and':
      for (const child of node.children) if (!evaluate(child, event, stamp)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (evaluate(child, event, stamp)) return true;
      return false;
    case 'sift':
      return safeTest(node, event);
  }
}

/** Which of an anchor's buckets an event falls in: a scalar's, none (absent, null), or all (complex). */
export function anchorReading(slot: PathSlot): 'scalar' | 'none' | 'all' {
  if (slot.kind === SCALAR) return 'scalar';
  return slot.kind === COMPLEX ? 'all' : 'none';
}

/** The path slots a node reads, each once. */
export function slotsOf(node: ConditionNode, into = new Set<PathSlot>()): Set<PathSlot> {
  if (node.kind === 'leaf') into.add(node.slot);
  else if (node.kind !== 'sift') for (const child of node.children) slotsOf(child, into);
  return into;
}

/** A filter that throws on an odd payload is a non-match, never a crash. */
function safeTest(node: LeafNode | { test: FilterPredicate }, event: unknown): boolean {
  try {
    if ('test' in node) return node.test(event);
    node.fallback ??= compileFilter(node.part);
    return node.fallback(event);
  } catch {
    return false;
  }
}
