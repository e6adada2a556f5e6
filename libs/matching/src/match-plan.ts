import type { EndpointSnapshot } from '@herald/contracts';
import type { ParsedEventTypePattern } from './event-type-pattern';
import { anchorReading, readPath, type LeafNode, type PathSlot, type Scalar } from './condition-tree';
import { onLine } from './line-scope';
import { holds, type MatchableEvent, type SharedCondition } from './shared-condition';

export interface IndexedEndpoint {
  snapshot: EndpointSnapshot;
  /** All must hold; null (no filter) matches every event without touching another object. */
  conditions: SharedCondition[] | null;
  patterns: ParsedEventTypePattern[];
  /** Whether it sits in its workspace's maps (enabled and valid). */
  indexed: boolean;
}

/**
 * Filtered endpoints whose filter requires one field to equal one of a few scalars (`$eq`, a literal,
 * `$in`), bucketed by those scalars: an event reads the field once and visits only its value's bucket.
 */
interface AnchorGroup {
  slot: PathSlot;
  byValue: Map<Scalar, IndexedEndpoint[]>;
  /** Everyone in the group, visited when the field holds an array or object (sift decides). */
  all: IndexedEndpoint[];
}

/** The endpoints one event type reaches in one workspace, each once. */
export interface MatchPlan {
  /** Match without a filter or line: copied out as they are. */
  unfiltered: EndpointSnapshot[];
  /** Match without a filter when the event is on their line, by line. */
  scoped: Map<string, EndpointSnapshot[]>;
  /** Filtered, with no equality to bucket them by: each one's filter is tested. */
  filtered: IndexedEndpoint[];
  anchored: AnchorGroup[];
}

export function buildPlan(candidates: Iterable<IndexedEndpoint>): MatchPlan {
  const plan: MatchPlan = { unfiltered: [], scoped: new Map(), filtered: [], anchored: [] };
  const groups = new Map<PathSlot, AnchorGroup>();
  for (const entry of candidates) {
    const line = entry.snapshot.line;
    if (entry.conditions !== null) {
      const anchor = anchorOf(entry.conditions);
      if (!anchor) {
        plan.filtered.push(entry);
        continue;
      }
      let group = groups.get(anchor.slot);
      if (!group) {
        group = { slot: anchor.slot, byValue: new Map(), all: [] };
        groups.set(anchor.slot, group);
        plan.anchored.push(group);
      }
      group.all.push(entry);
      // A scalar equals at most one of the values, so no endpoint is visited twice.
      for (const value of new Set(anchor.anchor)) {
        const bucket = group.byValue.get(value);
        if (bucket) bucket.push(entry);
        else group.byValue.set(value, [entry]);
      }
    } else if (line == null) plan.unfiltered.push(entry.snapshot);
    else plan.scoped.set(line, [...(plan.scoped.get(line) ?? []), entry.snapshot]);
  }
  return plan;
}

/** The condition with the fewest allowed scalars, the most selective bucket key. */
function anchorOf(conditions: SharedCondition[]): (LeafNode & { anchor: Scalar[] }) | null {
  let best: (LeafNode & { anchor: Scalar[] }) | null = null;
  for (const { node } of conditions) {
    if (node.kind !== 'leaf' || node.anchor === null) continue;
    if (!best || node.anchor.length < best.anchor.length) best = node as LeafNode & { anchor: Scalar[] };
  }
  return best;
}

/** Appends the plan's endpoints whose line and filter take the event. */
export function collect(
  plan: MatchPlan,
  event: MatchableEvent,
  line: string | undefined,
  stamp: number,
  matched: EndpointSnapshot[],
): void {
  for (const entry of plan.filtered) {
    if (onLine(entry.snapshot.line, line) && holds(entry.conditions!, event, stamp))
      matched.push(entry.snapshot);
  }
  for (const group of plan.anchored) {
    readPath(group.slot, event, stamp);
    const reading = anchorReading(group.slot);
    const visit =
      reading === 'scalar' ? group.byValue.get(group.slot.value!) : reading === 'all' ? group.all : undefined;
    if (!visit) continue;
    for (const entry of visit) {
      if (onLine(entry.snapshot.line, line) && holds(entry.conditions!, event, stamp))
        matched.push(entry.snapshot);
    }
  }
}
