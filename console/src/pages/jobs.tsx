import { useState } from 'preact/hooks';
import { endpointsApi } from '../api/endpoints';
import { jobsApi } from '../api/jobs';
import { errorText } from '../api/client';
import type { WorkspaceScope } from '../context';
import { useSession } from '../context';
import { Button, ErrorLine, Field, Link, PageTitle, StatusBadge, Time, useLoad } from '../components/ui';
import { navigate } from '../router';

/** `datetime-local` wants local time without seconds' zone: YYYY-MM-DDTHH:MM. */
function localInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** Start a recover (re-send failed deliveries) or backfill (re-read events) and list recent jobs. */
export function JobsPage({ scope }: { scope: WorkspaceScope }) {
  const { can } = useSession();
  const endpoints = useLoad(() => endpointsApi.list(scope.ws), [scope.ws]);
  const jobs = useLoad(() => jobsApi.list(scope.ws), [scope.ws]);
  const [kind, setKind] = useState<'recover' | 'backfill'>('recover');
  const [endpointId, setEndpointId] = useState('');
  const [since, setSince] = useState(localInput(new Date(Date.now() - 3_600_000)));
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const target = endpointId || endpoints.data?.data[0]?.id;
      if (!target) throw new Error('Choose an endpoint');
      const sinceIso = new Date(since).toISOString();
      const job =
        kind === 'recover'
          ? await endpointsApi.recover(scope.ws, target, {
              since: sinceIso,
              ...(until ? { until: new Date(until).toISOString() } : {}),
            })
          : await endpointsApi.backfill(scope.ws, target, { since: sinceIso });
      navigate(`${scope.prefix}/jobs/${job.id}`);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>Recover and backfill</PageTitle>
      <p class="muted">
        Recover sends an endpoint's failed deliveries again; backfill delivers the events it would have
        received since a time.
      </p>
      <form class="form" onSubmit={start}>
        <fieldset class="segmented">
          <legend>Job</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'recover'}
              onChange={() => setKind('recover')}
            />
            Recover failed deliveries
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'backfill'}
              onChange={() => setKind('backfill')}
            />
            Backfill events
          </label>
        </fieldset>
        <Field label="Endpoint">
          <select value={endpointId} onChange={(e) => setEndpointId(e.currentTarget.value)}>
            {(endpoints.data?.data ?? []).map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.url}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Since">
          <input
            type="datetime-local"
            required
            value={since}
            onInput={(e) => setSince(e.currentTarget.value)}
          />
        </Field>
        {kind === 'recover' ? (
          <Field label="Until" hint="Empty: now">
            <input type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
          </Field>
        ) : null}
        <ErrorLine error={error ?? endpoints.error} />
        <Button type="submit" kind="primary" busy={busy} disabled={!can('replay')}>
          {kind === 'recover' ? 'Start recover' : 'Start backfill'}
        </Button>
      </form>
      <h2>Recent jobs</h2>
      <ErrorLine error={jobs.error} />
      {jobs.data && jobs.data.data.length === 0 ? <p>No jobs yet.</p> : null}
      {jobs.data && jobs.data.data.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.data.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link to={`${scope.prefix}/jobs/${job.id}`}>{job.kind}</Link>
                  </td>
                  <td>
                    <StatusBadge status={job.state} />
                  </td>
                  <td>
                    {job.processed}
                    {job.total !== null ? ` / ${job.total}` : ''}
                  </td>
                  <td>
                    <Time at={job.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
