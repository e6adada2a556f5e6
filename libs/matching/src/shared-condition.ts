import { compileQuery, evaluate, type ConditionNode, type PathSlot, slotsOf } from './condition-tree';

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
  node: ConditionNode;
  /** The paths it reads, held (counted) in the index's slot table. */
  slots: PathSlot[];
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

/**
 * Conditions and the field paths they read, shared across the whole index: one path is read once per
 * event however many conditions (of however many workspaces) test it.
 */
export class ConditionTable {
  private readonly conditions = new Map<string, SharedCondition>();
  private readonly slots = new Map<string, PathSlot>();

  get size(): number {
    return this.conditions.size;
  }

  /** Distinct field paths the held conditions read. */
  get pathCount(): number {
    return this.slots.size;
  }

  /** The filter (already validated) split into its top-level conditions, each shared. */
  acquire(filter: unknown): SharedCondition[] | null {
    if (filter === null || filter === undefined || Object.keys(filter as object).length === 0) return null;
    const acquired: SharedCondition[] = [];
    for (const [field, condition] of Object.entries(filter as Record<string, unknown>)) {
      const part = { [field]: condition };
      const key = canonicalJson(part);
      let shared = this.conditions.get(key);
      if (!shared) {
        const node = compileQuery(part, (path) => this.slot(path));
        const slots = [...slotsOf(node)];
        for (const slot of slots) slot.users += 1;
        shared = { key, node, slots, users: 0, stamp: 0, result: false };
        this.conditions.set(key, shared);
      }
      shared.users += 1;
      acquired.push(shared);
    }
    // Comparisons before sift, then widely shared ones: cheapest, and likeliest decided already.
    return acquired.sort((a, b) => cost(a) - cost(b) || b.users - a.users);
  }

  release(conditions: SharedCondition[]): void {
    for (const condition of conditions) {
      if (--condition.users > 0) continue;
      this.conditions.delete(condition.key);
      for (const slot of condition.slots) if (--slot.users === 0) this.slots.delete(slot.path);
    }
  }

  /** A fresh slot is counted by the condition compiled with it (once, through slotsOf). */
  private slot(path: string): PathSlot {
    let slot = this.slots.get(path);
    if (!slot) {
      slot = { path, segments: path.split('.'), users: 0, stamp: 0, kind: 0, value: undefined };
      this.slots.set(path, slot);
    }
    return slot;
  }
}

const cost = (condition: SharedCondition) => (condition.node.kind === 'leaf' ? 0 : 1);

/** Every condition holds for this event; each shared condition is evaluated once per match() call. */
export function holds(conditions: SharedCondition[], event: MatchableEvent, stamp: number): boolean {
  for (const condition of conditions) {
    if (condition.stamp !== stamp) {
      condition.stamp = stamp;
      condition.result = evaluate(condition.node, event, stamp);
    }
    if (!condition.result) return false;
  }
  return true;
}
