import type { EndpointSnapshot } from '@herald/contracts';
import { type ParsedEventTypePattern, typePrefixes, validateEventTypePattern } from './event-type-pattern';
import { compileFilter, type FilterPredicate } from './payload-filter';

/** The event fields matching reads; filters see the whole envelope. */
export interface MatchableEvent {
  type: string;
  workspaceId: string;
  data?: unknown;
}

/** One compiled filter shared by every endpoint with the same filter, evaluated once per event. */
interface SharedFilter {
  key: string;
  test: FilterPredicate;
  users: number;
  /** The match() call whose result `result` holds. */
  stamp: number;
  result: boolean;
}

interface IndexedEndpoint {
  snapshot: EndpointSnapshot;
  /** null matches every event. */
  filter: SharedFilter | null;
  patterns: ParsedEventTypePattern[];
  /** Whether it sits in its workspace's maps (enabled and valid). */
  indexed: boolean;
  /** The match() call that last considered it, so an endpoint matching by two patterns counts once. */
  stamp: number;
}

/** One workspace's endpoints by event type, so a lookup never touches another workspace. */
class WorkspaceIndex {
  readonly exact = new Map<string, Set<IndexedEndpoint>>();
  readonly prefix = new Map<string, Set<IndexedEndpoint>>();
  readonly all = new Set<IndexedEndpoint>();
  size = 0;
}

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
  private readonly filters = new Map<string, SharedFilter>();
  private stamp = 0;

  get endpointCount(): number {
    return this.held.size;
  }

  /** Distinct compiled filters held. */
  get filterCount(): number {
    return this.filters.size;
  }

  /** Throws nothing: a snapshot whose patterns or filter do not compile is held but never matches. */
  upsert(snapshot: EndpointSnapshot): ApplyResult {
    const current = this.held.get(snapshot.id);
    if (current && current.snapshot.version > snapshot.version) return 'stale';
    let filter: SharedFilter | null;
    let patterns: ParsedEventTypePattern[];
    try {
      patterns = snapshot.eventTypes.map(validateEventTypePattern);
      filter = this.acquireFilter(snapshot.filter);
    } catch {
      if (current) this.release(current);
      this.held.set(snapshot.id, { snapshot, filter: null, patterns: [], indexed: false, stamp: 0 });
      return 'rejected';
    }
    if (current) this.release(current);
    const entry: IndexedEndpoint = { snapshot, filter, patterns, indexed: !snapshot.disabled, stamp: 0 };
    this.held.set(snapshot.id, entry);
    if (!entry.indexed) return 'applied';
    const workspace = this.workspaceFor(snapshot.workspaceId);
    for (const pattern of patterns) {
      if (pattern.kind === 'all') workspace.all.add(entry);
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
    const matched: EndpointSnapshot[] = [];
    const workspace = this.workspaces.get(event.workspaceId);
    if (!workspace) return matched;
    const stamp = ++this.stamp;
    this.collect(matched, workspace.exact.get(event.type), event, stamp);
    for (const prefix of typePrefixes(event.type))
      this.collect(matched, workspace.prefix.get(prefix), event, stamp);
    this.collect(matched, workspace.all, event, stamp);
    return matched;
  }

  private collect(
    into: EndpointSnapshot[],
    entries: Set<IndexedEndpoint> | undefined,
    event: MatchableEvent,
    stamp: number,
  ): void {
    if (!entries) return;
    for (const entry of entries) {
      if (entry.stamp === stamp) continue;
      entry.stamp = stamp;
      const filter = entry.filter;
      if (filter !== null && filter.stamp !== stamp) {
        filter.stamp = stamp;
        filter.result = safeTest(filter.test, event);
      }
      if (filter === null || filter.result) into.push(entry.snapshot);
    }
  }

  private acquireFilter(filter: unknown): SharedFilter | null {
    if (filter === null || filter === undefined) return null;
    const key = canonicalJson(filter);
    let shared = this.filters.get(key);
    if (!shared) {
      shared = { key, test: compileFilter(filter), users: 0, stamp: 0, result: false };
      this.filters.set(key, shared);
    }
    shared.users += 1;
    return shared;
  }

  /** Takes an entry out of its workspace's maps and gives back its filter. */
  private release(entry: IndexedEndpoint): void {
    if (entry.filter && --entry.filter.users === 0) this.filters.delete(entry.filter.key);
    entry.filter = null;
    const workspace = this.workspaces.get(entry.snapshot.workspaceId);
    if (!workspace || !entry.indexed) return;
    for (const pattern of entry.patterns) {
      if (pattern.kind === 'all') workspace.all.delete(entry);
      else removeFrom(pattern.kind === 'exact' ? workspace.exact : workspace.prefix, pattern.value, entry);
    }
    entry.indexed = false;
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

function addTo(map: Map<string, Set<IndexedEndpoint>>, key: string, entry: IndexedEndpoint): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(entry);
}

function removeFrom(map: Map<string, Set<IndexedEndpoint>>, key: string, entry: IndexedEndpoint): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(entry);
  if (set.size === 0) map.delete(key);
}

/** JSON with object keys sorted, so equal filters share one compiled predicate. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A filter that throws on an odd payload is a non-match, never a crash. */
function safeTest(filter: FilterPredicate, event: MatchableEvent): boolean {
  try {
    return filter(event);
  } catch {
    return false;
  }
}
