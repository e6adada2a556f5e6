import { type EndpointSnapshot, isOperationalEventType } from '@herald/contracts';
import { type ParsedEventTypePattern, typePrefixes, validateEventTypePattern } from './event-type-pattern';
import { eventLine } from './line-scope';
import { buildPlan, collect, type IndexedEndpoint, type MatchPlan } from './match-plan';
import { compileFilter } from './payload-filter';
import { ConditionTable, type MatchableEvent, type SharedCondition } from './shared-condition';

export type { MatchableEvent } from './shared-condition';

/** One workspace's endpoints by event type, so a lookup never touches another workspace. */
class WorkspaceIndex {
  // Arrays rather than Sets: iteration is the hot path, updates are rare.
  readonly exact = new Map<string, IndexedEndpoint[]>();
  readonly prefix = new Map<string, IndexedEndpoint[]>();
  readonly all: IndexedEndpoint[] = [];
  /** Per event type: who can match, worked out once and dropped whenever this workspace changes. */
  readonly plans = new Map<string, MatchPlan>();
  size = 0;
}

/** Plans kept per workspace; types come from a small catalogue, so this is rarely reached. */
const MAX_PLANS_PER_WORKSPACE = 256;

export type ApplyResult = 'applied' | 'stale' | 'rejected';

/**
 * In-memory view of `herald.subscriptions`: endpoints indexed by workspace, then event type (exact,
 * prefix wildcard, `*`). Snapshots older than the one held are ignored; disabled endpoints are held
 * (for their version) but never match. Identical filters are compiled once and, within one event,
 * evaluated once.
 */
export class SubscriptionIndex {
  private readonly held = new Map<string, IndexedEndpoint>();
  private readonly workspaces = new Map<string, WorkspaceIndex>();
  private readonly conditions = new ConditionTable();
  private stamp = 0;

  get endpointCount(): number {
    return this.held.size;
  }

  /** Distinct compiled filter conditions held. */
  get conditionCount(): number {
    return this.conditions.size;
  }

  /** Throws nothing: a snapshot whose patterns or filter do not compile is held but never matches. */
  upsert(snapshot: EndpointSnapshot): ApplyResult {
    const current = this.held.get(snapshot.id);
    if (current && current.snapshot.version > snapshot.version) return 'stale';
    let conditions: SharedCondition[] | null;
    let patterns: ParsedEventTypePattern[];
    try {
      patterns = uniquePatterns(snapshot.eventTypes.map(validateEventTypePattern));
      compileFilter(snapshot.filter);
      conditions = this.conditions.acquire(snapshot.filter);
    } catch {
      if (current) this.release(current);
      this.held.set(snapshot.id, {
        snapshot,
        conditions: null,
        patterns: [],
        indexed: false,
      });
      return 'rejected';
    }
    if (current) this.release(current);
    const entry: IndexedEndpoint = {
      snapshot,
      conditions,
      patterns,
      indexed: !snapshot.disabled,
    };
    this.held.set(snapshot.id, entry);
    if (!entry.indexed) return 'applied';
    const workspace = this.workspaceFor(snapshot.workspaceId);
    workspace.plans.clear();
    for (const pattern of patterns) {
      if (pattern.kind === 'all') workspace.all.push(entry);
      else addTo(pattern.kind === 'exact' ? workspace.exact : workspace.prefix, pattern.value, entry);
    }
    workspace.size += 1;
    return 'applied';
  }

  remove(endpointId: string): void {
    const current = this.held.get(endpointId);
    if (!current) return;
    this.release(current);
    this.held.delete(endpointId);
  }

  get(endpointId: string): EndpointSnapshot | undefined {
    return this.held.get(endpointId)?.snapshot;
  }

  /** Enabled endpoints of the event's workspace whose patterns and filter match, each once. */
  match(event: MatchableEvent): EndpointSnapshot[] {
    const workspace = this.workspaces.get(event.workspaceId);
    if (!workspace) return [];
    const plan = workspace.plans.get(event.type) ?? this.plan(workspace, event.type);
    const matched = plan.unfiltered.slice();
    const line = eventLine(event);
    if (line !== undefined) for (const snapshot of plan.scoped.get(line) ?? []) matched.push(snapshot);
    if (plan.filtered.length > 0 || plan.anchored.length > 0)
      collect(plan, event, line, ++this.stamp, matched);
    return matched;
  }

  private plan(workspace: WorkspaceIndex, type: string): MatchPlan {
    const candidates = new Set<IndexedEndpoint>(workspace.exact.get(type));
    for (const prefix of typePrefixes(type)) {
      for (const entry of workspace.prefix.get(prefix) ?? []) candidates.add(entry);
    }
    // `*` takes domain types only (matchesEventType); operational ones are named or prefixed.
    if (!isOperationalEventType(type)) for (const entry of workspace.all) candidates.add(entry);
    const plan = buildPlan(candidates);
    if (workspace.plans.size >= MAX_PLANS_PER_WORKSPACE) workspace.plans.clear();
    workspace.plans.set(type, plan);
    return plan;
  }

  /** Takes an entry out of its workspace's maps and gives back its filter. */
  private release(entry: IndexedEndpoint): void {
    if (entry.conditions) this.conditions.release(entry.conditions);
    entry.conditions = null;
    const workspace = this.workspaces.get(entry.snapshot.workspaceId);
    if (!workspace || !entry.indexed) return;
    for (const pattern of entry.patterns) {
      if (pattern.kind === 'all') removeEntry(workspace.all, entry);
      else removeFrom(pattern.kind === 'exact' ? workspace.exact : workspace.prefix, pattern.value, entry);
    }
    entry.indexed = false;
    workspace.plans.clear();
    workspace.size -= 1;
    if (workspace.size <= 0) this.workspaces.delete(entry.snapshot.workspaceId);
  }

  private workspaceFor(workspaceId: string): WorkspaceIndex {
    let workspace = this.workspaces.get(workspaceId);
    if (!workspace) {
      workspace = new WorkspaceIndex();
      this.workspaces.set(workspaceId, workspace);
    }
    return workspace;
  }
}

function addTo(map: Map<string, IndexedEndpoint[]>, key: string, entry: IndexedEndpoint): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function removeFrom(map: Map<string, IndexedEndpoint[]>, key: string, entry: IndexedEndpoint): void {
  const list = map.get(key);
  if (!list) return;
  removeEntry(list, entry);
  if (list.length === 0) map.delete(key);
}

/** Order within a bucket does not matter, so the last element fills the gap. */
function removeEntry(list: IndexedEndpoint[], entry: IndexedEndpoint): void {
  const at = list.indexOf(entry);
  if (at < 0) return;
  list[at] = list[list.length - 1];
  list.pop();
}

function uniquePatterns(patterns: ParsedEventTypePattern[]): ParsedEventTypePattern[] {
  const seen = new Set<string>();
  return patterns.filter((pattern) => {
    const key = `${pattern.kind}:${pattern.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
