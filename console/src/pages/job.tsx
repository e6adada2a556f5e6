import { useState } from 'preact/hooks';
import { jobsApi } from '../api/jobs';
import { errorText } from '../api/client';
import { TERMINAL_JOB_STATES, type Job } from '../api/types';
import { useSession, type WorkspaceScope } from '../context';
import { Button, ErrorLine, Json, Link, PageTitle, StatusBadge, Time } from '../components/ui';
import { usePoll } from '../poll';

const POLL_MS = 1_000;

/** One job, polled until it ends. */
export function JobPage({ scope, id }: { scope: WorkspaceScope; id: string }) {
  const { can } = useSession();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = job !== null && TERMINAL_JOB_STATES.includes(job.state);
  usePoll(
    async () => {
      try {
        setJob(await jobsApi.get(scope.ws, id));
        setError(null);
      } catch (failure) {
        setError(errorText(failure));
      }
    },
    POLL_MS,
    !ended && error === null,
    [scope.ws, id],
  );
  const cancel = async () => {
    try {
      setJob(await jobsApi.cancel(scope.ws, id));
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <>
      <p class="crumbs">
        <Link to={`${scope.prefix}/jobs`}>← Jobs</Link>
      </p>
      <PageTitle>{job ? `${job.kind[0].toUpperCase()}${job.kind.slice(1)} job` : 'Job'}</PageTitle>
      <ErrorLine error={error} />
      {job ? (
        <>
          <p role="status" aria-live="polite" class="row">
            <StatusBadge status={job.state} />
            <span>
              {job.processed}
              {job.total !== null ? ` of ${job.total}` : ''} processed · {job.produced} deliveries requested
            </span>
          </p>
          <progress max={100} value={job.percent ?? (ended ? 100 : undefined)} aria-label="Job progress">
            {job.percent ?? 0}%
          </progress>
          {!ended && can('replay') ? (
            <Button kind="danger" disabled={job.cancelRequested} onClick={cancel}>
              {job.cancelRequested ? 'Cancelling…' : 'Cancel job'}
            </Button>
          ) : null}
          <dl class="facts">
            <dt>Endpoint</dt>
            <dd>
              {job.endpointId ? (
                <Link to={`${scope.prefix}/endpoints/${job.endpointId}`}>{job.endpointId}</Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>Started</dt>
            <dd>
              <Time at={job.createdAt} />
            </dd>
            <dt>Finished</dt>
            <dd>
              <Time at={job.finishedAt} />
            </dd>
            <dt>Deadline</dt>
            <dd>
              <Time at={job.deadlineAt} />
            </dd>
            <dt>Error</dt>
            <dd>{job.error ?? '—'}</dd>
          </dl>
          <h2>Parameters</h2>
          <Json value={job.params} label="Job parameters" />
          {job.result ? (
            <>
              <h2>Result</h2>
              <Json value={job.result} label="Job result" />
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
