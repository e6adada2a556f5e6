import { useState } from 'preact/hooks';
import { endpointsApi, HEALTH_WINDOWS, type HealthWindow } from '../api/endpoints';
import type { Health } from '../api/types';
import type { WorkspaceScope } from '../context';
import { ErrorLine, Link, PageTitle, Time, useLoad } from '../components/ui';

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;
}

export function HealthSummary({ health }: { health: Health }) {
  return (
    <dl class="facts">
      <dt>Attempts</dt>
      <dd>{health.attempts}</dd>
      <dt>Succeeded</dt>
      <dd>{health.succeeded}</dd>
      <dt>Failed</dt>
      <dd>{health.failed}</dd>
      <dt>Success rate</dt>
      <dd>{formatRate(health.successRate)}</dd>
      <dt>Latency p50 / p95</dt>
      <dd>{health.latencyMs ? `${health.latencyMs.p50} ms / ${health.latencyMs.p95} ms` : '—'}</dd>
      <dt>Last success</dt>
      <dd>
        <Time at={health.lastSuccessAt} />
      </dd>
      <dt>Last failure</dt>
      <dd>
        <Time at={health.lastFailureAt} />
      </dd>
      <dt>Circuit</dt>
      <dd>
        {health.circuit.state}
        {health.circuit.since ? (
          <>
            {' since '}
            <Time at={health.circuit.since} />
          </>
        ) : null}
      </dd>
      <dt>Disabled</dt>
      <dd>{health.disabled ? `yes${health.disabledReason ? ` (${health.disabledReason})` : ''}` : 'no'}</dd>
    </dl>
  );
}

/** One endpoint's attempts over a chosen window. */
export function EndpointHealthPage({ scope, id }: { scope: WorkspaceScope; id: string }) {
  const [window, setWindow] = useState<HealthWindow>('24h');
  const health = useLoad(() => endpointsApi.health(scope.ws, id, window), [scope.ws, id, window]);
  return (
    <>
      <p class="crumbs">
        <Link to={`${scope.prefix}/endpoints/${id}`}>← Endpoint</Link>
      </p>
      <PageTitle>Endpoint health</PageTitle>
      <fieldset class="segmented">
        <legend>Window</legend>
        {HEALTH_WINDOWS.map((w) => (
          <label key={w}>
            <input
              type="radio"
              name="window"
              value={w}
              checked={w === window}
              onChange={() => setWindow(w)}
            />
            {w}
          </label>
        ))}
      </fieldset>
      <ErrorLine error={health.error} />
      {health.data ? (
        <>
          <p class="muted">
            From <Time at={health.data.from} /> to <Time at={health.data.to} />
          </p>
          <HealthSummary health={health.data} />
        </>
      ) : null}
    </>
  );
}
