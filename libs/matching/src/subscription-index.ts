import type { EndpointSnapshot } from '@herald/contracts';
import { type ParsedEventTypePattern, typePrefixes, validateEventTypePattern } from './event-type-pattern';
import { compileFilter, type FilterPredicate } from './payload-filter';

/** The event fields matching reads. */
export interface MatchableEvent {
  type: string;
  workspaceId: string;
}

interface IndexedEndpoint {
  snapshot: EndpointSnapshot;
  filter: FilterPredicate;
  patterns: ParsedEventTypePattern[];
  /** Whether it sits in its workspace's maps (enabled and valid). */
  indexed: boolean;
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
 * (for their version) but never match.
 */
export class SubscriptionIndex {
  private readonly held = new Map<string, IndexedEndpoint>();
  private readonly workspaces = new Map<string, WorkspaceIndex>();

  get endpointCount(): number {
    return this.held.size;
  }

  /** Throws nothing: a snapshot whose patterns or filter do not compile is held but never matches. */
  upsert(snapshot: EndpointSnapshot): ApplyResult {
    const current = this.held.get(snapshot.id);
    if (current && current.snapshot.version > snapshot.version) return 'stale';
    if (current) this.unindex(current);
    let filter: FilterPredicate;
    let patterns: ParsedEventTypePattern[];
    try {
      filter = compileFilter(snapshot.filter);
      patterns = snapshot.eventTypes.map(validateEventTypePattern);
    } catch {
      this.held.set(snapshot.id, { snapshot, filter: () => false, patterns: [], indexed: false });
      return 'rejected';
    }
    const entry: IndexedEndpoint = { snapshot, filter, patterns, indexed: !snapshot.disabled };
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
    this.unindex(current);
    this.held.delete(endpointId);
  }

  get(endpointId: string): EndpointSnapshot | undefined {
    return this.held.get(endpointId)?.snapshot;
  }

  /** Enabled endpoints of the event's workspace whose patterns and filter match, each once. */
  match(event: MatchableEvent): EndpointSnapshot[] {
    const workspace = this.workspaces.get(event.workspaceId);
    if (!workspace) return [];
    const candidates = new Set<IndexedEndpoint>();
    collect(candidates, workspace.exact.get(event.type));
    for (const prefix of typePrefixes(event.type)) collect(candidates, workspace.prefix.get(prefix));
    collect(candidates, workspace.all);
    const matched: EndpointSnapshot[] = [];
    for (const entry of candidates) {
      if (safeTest(entry.filter, event)) matched.push(entry.snapshot);
    }
    return matched;
  }

  private workspaceFor(workspaceId: string): WorkspaceIndex {
    let workspace = this.workspaces.get(workspaceId);
    if (!workspace) {
      workspace = new WorkspaceIndex();
      this.workspaces.set(workspaceId, workspace);
    }
    return workspace;
  }

  private unindex(entry: IndexedEndpoint): void {
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

function collect(into: Set<IndexedEndpoint>, from: Set<IndexedEndpoint> | undefined): void {
  if (from) for (const entry of from) into.add(entry);
}

/** A filter that throws on an odd payload is a non-match, never a crash. */
function safeTest(filter: FilterPredicate, event: MatchableEvent): boolean {
  try {
    return filter(event);
  } catch {
    return false;
  }
}
