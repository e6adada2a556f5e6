import { useEffect, useState } from 'preact/hooks';
import { deliveriesApi, type DeliveryFilters } from '../api/deliveries';
import { endpointsApi } from '../api/endpoints';
import { ApiError, errorText } from '../api/client';
import { DELIVERY_STATUSES, type Delivery, type DeliveryStatus } from '../api/types';
import type { WorkspaceScope } from '../context';
import { Button, ErrorLine, Field, Link, PageTitle, StatusBadge, Time, useLoad } from '../components/ui';
import { navigate, useQueryParams } from '../router';
import { usePoll } from '../poll';

const POLL_MS = 2_000;
const FILTER_KEYS = ['endpointId', 'status', 'eventType', 'eventId', 'since', 'until'] as const;

function filtersOf(params: URLSearchParams): DeliveryFilters {
  const filters: DeliveryFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) (filters as Record<string, string>)[key] = value;
  }
  return filters;
}

/** `datetime-local` values are local times; the API takes ISO-8601. */
const isoOf = (local: string | undefined) => (local ? new Date(local).toISOString() : undefined);

/** The live delivery log: the newest page is polled, older pages load on demand. */
export function DeliveriesPage({ scope }: { scope: WorkspaceScope }) {
  const params = useQueryParams();
  const applied = filtersOf(params);
  const key = JSON.stringify(applied);
  const [draft, setDraft] = useState<DeliveryFilters>(applied);
  // Arriving with other filters (a link, back and forward) shows them in the form too.
  useEffect(() => setDraft(filtersOf(new URLSearchParams(location.search))), [key]);
  const [head, setHead] = useState<Delivery[] | null>(null);
  const [headCursor, setHeadCursor] = useState<string | null>(null);
  const [older, setOlder] = useState<{ rows: Delivery[]; cursor: string | null }>({ rows: [], cursor: null });
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(true);
  const [search, setSearch] = useState('');
  const endpoints = useLoad(() => endpointsApi.list(scope.ws), [scope.ws]);
  const query = { ...applied, since: isoOf(applied.since), until: isoOf(applied.until) };

  usePoll(
    async () => {
      try {
        const page = await deliveriesApi.list(scope.ws, query);
        setHead(page.data);
        setHeadCursor(page.nextCursor ?? null);
        setError(null);
      } catch (failure) {
        setError(errorText(failure));
      }
    },
    POLL_MS,
    live,
    [scope.ws, key],
  );

  const apply = (event: Event) => {
    event.preventDefault();
    const search = new URLSearchParams();
    for (const k of FILTER_KEYS) if (draft[k]) search.set(k, String(draft[k]));
    setHead(null);
    setOlder({ rows: [], cursor: null });
    const text = search.toString();
    navigate(`${scope.prefix}/deliveries${text ? '?' + text : ''}`, true);
  };
  const find = async (event: Event) => {
    event.preventDefault();
    const id = search.trim();
    if (!id) return;
    setError(null);
    try {
      const found = await deliveriesApi.get(scope.ws, id);
      navigate(`${scope.prefix}/deliveries/${found.id}`);
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.status !== 404) return setError(errorText(failure));
      // Not a delivery id: look for an event with it.
      setDraft({ eventId: id });
      setHead(null);
      setOlder({ rows: [], cursor: null });
      navigate(`${scope.prefix}/deliveries?eventId=${encodeURIComponent(id)}`, true);
    }
  };
  const seen = new Set((head ?? []).map((d) => d.id));
  const rows = [...(head ?? []), ...older.rows.filter((d) => !seen.has(d.id))];
  const cursor = older.rows.length ? older.cursor : headCursor;
  const loadMore = async () => {
    try {
      const page = await deliveriesApi.list(scope.ws, query, cursor);
      setOlder((o) => ({ rows: [...o.rows, ...page.data], cursor: page.nextCursor ?? null }));
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const set = (patch: DeliveryFilters) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <>
      <PageTitle>Deliveries</PageTitle>
      <form class="search row" onSubmit={find} role="search">
        <Field label="Find by delivery id or event id">
          <input name="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
        <Button type="submit">Find</Button>
      </form>
      <form class="filters" onSubmit={apply} aria-label="Filters">
        <Field label="Endpoint">
          <select value={draft.endpointId ?? ''} onChange={(e) => set({ endpointId: e.currentTarget.value })}>
            <option value="">All endpoints</option>
            {(endpoints.data?.data ?? []).map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.url}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select
            value={draft.status ?? ''}
            onChange={(e) => set({ status: e.currentTarget.value as DeliveryStatus | '' })}
          >
            <option value="">Any status</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Event type">
          <input value={draft.eventType ?? ''} onInput={(e) => set({ eventType: e.currentTarget.value })} />
        </Field>
        <Field label="Event id">
          <input value={draft.eventId ?? ''} onInput={(e) => set({ eventId: e.currentTarget.value })} />
        </Field>
        <Field label="From">
          <input
            type="datetime-local"
            value={draft.since ?? ''}
            onInput={(e) => set({ since: e.currentTarget.value })}
          />
        </Field>
        <Field label="Until">
          <input
            type="datetime-local"
            value={draft.until ?? ''}
            onInput={(e) => set({ until: e.currentTarget.value })}
          />
        </Field>
        <div class="row">
          <Button type="submit" kind="primary">
            Apply filters
          </Button>
          <label class="check">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} />
            Live
          </label>
        </div>
      </form>
      <ErrorLine error={error} />
      {head === null && !error ? <p>Loading…</p> : null}
      {head !== null && rows.length === 0 ? <p>No deliveries match.</p> : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table aria-live="off">
            <caption class="sr-only">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event type</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last response</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-delivery-id={d.id}>
                  <td>
                    <Time at={d.createdAt} />
                  </td>
                  <td>
                    {d.eventType}
                    {d.test ? <span class="badge">test</span> : null}
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>{d.attemptCount}</td>
                  <td>{d.lastResponseStatus ?? '—'}</td>
                  <td class="mono">
                    <Link to={`${scope.prefix}/deliveries/${d.id}`}>{d.id}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? <Button onClick={loadMore}>Load more</Button> : null}
    </>
  );
}
