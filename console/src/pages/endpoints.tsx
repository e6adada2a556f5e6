import { useState } from 'preact/hooks';
import { endpointsApi } from '../api/endpoints';
import type { Endpoint, Health } from '../api/types';
import { useSession, type WorkspaceScope } from '../context';
import { Button, ErrorLine, Link, PageTitle, useLoad } from '../components/ui';
import { errorText } from '../api/client';
import { formatRate } from './endpoint-health';

/** Endpoints of the workspace with their last day's health, one call for all. */
export function EndpointsPage({ scope }: { scope: WorkspaceScope }) {
  const { can } = useSession();
  const [extra, setExtra] = useState<Endpoint[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [moreError, setMoreError] = useState<string | null>(null);
  const list = useLoad(() => endpointsApi.list(scope.ws), [scope.ws]);
  const health = useLoad(() => endpointsApi.healthAll(scope.ws, '24h'), [scope.ws]);
  const byId = new Map<string, Health>((health.data?.data ?? []).map((h) => [h.endpointId, h]));
  const endpoints = [...(list.data?.data ?? []), ...extra];
  const next = cursor === undefined ? list.data?.nextCursor : cursor;
  const loadMore = async () => {
    try {
      const page = await endpointsApi.list(scope.ws, next);
      setExtra((e) => [...e, ...page.data]);
      setCursor(page.nextCursor ?? null);
    } catch (error) {
      setMoreError(errorText(error));
    }
  };
  return (
    <>
      <div class="title-row">
        <PageTitle>Endpoints</PageTitle>
        {can('endpoints.write') ? (
          <Link class="btn btn-primary" to={`${scope.prefix}/endpoints/new`}>
            New endpoint
          </Link>
        ) : null}
      </div>
      <ErrorLine error={list.error} />
      <ErrorLine error={health.error ? `Health: ${health.error}` : null} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && endpoints.length === 0 ? <p>No endpoints yet.</p> : null}
      {endpoints.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Endpoints and their health over 24 hours</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Success (24h)</th>
                <th scope="col">p95</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => {
                const h = byId.get(endpoint.id);
                return (
                  <tr key={endpoint.id}>
                    <td class="wrap">
                      <Link to={`${scope.prefix}/endpoints/${endpoint.id}`}>{endpoint.url}</Link>
                      {endpoint.description ? <div class="muted">{endpoint.description}</div> : null}
                    </td>
                    <td>{endpoint.eventTypes.join(', ')}</td>
                    <td>
                      <EndpointState endpoint={endpoint} health={h} />
                    </td>
                    <td>{h ? formatRate(h.successRate) : '—'}</td>
                    <td>{h?.latencyMs ? `${h.latencyMs.p95} ms` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ErrorLine error={moreError} />
      {next ? <Button onClick={loadMore}>Load more</Button> : null}
    </>
  );
}

export function EndpointState({ endpoint, health }: { endpoint: Endpoint; health?: Health }) {
  if (endpoint.disabled) return <span class="badge badge-failed">disabled</span>;
  if (health?.circuit.state === 'open') return <span class="badge badge-retrying">circuit open</span>;
  return <span class="badge badge-succeeded">enabled</span>;
}
