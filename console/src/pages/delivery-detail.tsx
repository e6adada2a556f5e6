import { useState } from 'preact/hooks';
import { deliveriesApi } from '../api/deliveries';
import { errorText } from '../api/client';
import type { Attempt, DeliveryDetail } from '../api/types';
import { useSession, type WorkspaceScope } from '../context';
import { Button, ErrorLine, Json, Link, Notice, PageTitle, StatusBadge, Time } from '../components/ui';
import { usePoll } from '../poll';

const POLL_MS = 2_000;

/** `{traceId}` in the operator's template (HERALD_TRACE_URL_TEMPLATE) becomes the attempt's trace id. */
export function traceUrl(template: string | undefined, traceId: string): string | null {
  if (!template || !template.includes('{traceId}')) return null;
  const url = template.split('{traceId}').join(encodeURIComponent(traceId));
  return /^https?:\/\//.test(url) ? url : null;
}

function Headers({ headers }: { headers: Record<string, string> | null | undefined }) {
  if (!headers || Object.keys(headers).length === 0) return <p class="muted">No headers</p>;
  return (
    <dl class="headers">
      {Object.entries(headers).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function AttemptItem({ attempt, template }: { attempt: Attempt; template?: string }) {
  const link = attempt.traceId ? traceUrl(template, attempt.traceId) : null;
  return (
    <li class="attempt">
      <h3>
        Attempt {attempt.attempt}: {attempt.outcome}
        {attempt.response?.status ? ` · HTTP ${attempt.response.status}` : ''}
      </h3>
      <dl class="facts">
        <dt>Started</dt>
        <dd>
          <Time at={attempt.startedAt} />
        </dd>
        <dt>Duration</dt>
        <dd>{attempt.durationMs} ms</dd>
        <dt>Error class</dt>
        <dd>
          {attempt.errorClass
            ? `${attempt.errorClass}${attempt.errorMessage ? `: ${attempt.errorMessage}` : ''}`
            : '—'}
        </dd>
        <dt>Next retry</dt>
        <dd>
          <Time at={attempt.nextAttemptAt} />
        </dd>
        <dt>Remote address</dt>
        <dd>{attempt.remoteIp ?? '—'}</dd>
        <dt>Trace</dt>
        <dd class="mono">
          {attempt.traceId ? (
            link ? (
              <a href={link} target="_blank" rel="noopener noreferrer">
                {attempt.traceId}
              </a>
            ) : (
              attempt.traceId
            )
          ) : (
            '—'
          )}
        </dd>
      </dl>
      <details>
        <summary>Request headers</summary>
        <p class="mono wrap">POST {attempt.request.url}</p>
        <Headers headers={attempt.request.headers} />
      </details>
      <details>
        <summary>Response</summary>
        {attempt.responseRemoved ? (
          <Notice>
            Response body and headers removed ({attempt.responseRemoved.reason}) on{' '}
            <Time at={attempt.responseRemoved.at} />
          </Notice>
        ) : null}
        {attempt.response ? (
          <>
            <p>Status {attempt.response.status}</p>
            <Headers headers={attempt.response.headers} />
            {attempt.response.body ? (
              <Json value={attempt.response.body} label="Response body" />
            ) : (
              <p class="muted">Empty body</p>
            )}
            {attempt.response.bodyTruncated ? <p class="muted">Body truncated</p> : null}
          </>
        ) : (
          <p class="muted">No response</p>
        )}
      </details>
    </li>
  );
}

const SETTLED = ['succeeded', 'failed'];

/** A delivery, its payload and every attempt; followed live until it settles. */
export function DeliveryDetailPage({ scope, id }: { scope: WorkspaceScope; id: string }) {
  const { can, me } = useSession();
  const [delivery, setDelivery] = useState<DeliveryDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [follow, setFollow] = useState(true);
  const [awaiting, setAwaiting] = useState(0);
  usePoll(
    async () => {
      try {
        const d = await deliveriesApi.get(scope.ws, id);
        setDelivery(d);
        setError(null);
        // After a retry, keep following until its attempt is in the log: the row still says failed
        // until the dispatcher has sent it and the projector recorded it.
        const expected = Math.max(d.attemptCount, awaiting);
        if (SETTLED.includes(d.status) && d.attempts.length >= expected) setFollow(false);
      } catch (failure) {
        setError(errorText(failure));
        setFollow(false);
      }
    },
    POLL_MS,
    follow,
    [scope.ws, id, awaiting],
  );
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await deliveriesApi.retry(scope.ws, id);
      setNotice(`Retry accepted as attempt ${accepted.attempt}`);
      setAwaiting(accepted.attempt);
      setFollow(true);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  const d = delivery;
  return (
    <>
      <p class="crumbs">
        <Link to={`${scope.prefix}/deliveries`}>← Deliveries</Link>
      </p>
      <PageTitle>Delivery</PageTitle>
      <ErrorLine error={error} />
      {notice ? <Notice>{notice}</Notice> : null}
      {d ? (
        <>
          <div class="row">
            <StatusBadge status={d.status} />
            {d.test ? <span class="badge">test</span> : null}
            {can('replay') && !d.test ? (
              <Button kind="primary" busy={busy} onClick={retry}>
                Retry delivery
              </Button>
            ) : null}
          </div>
          <dl class="facts">
            <dt>Delivery id</dt>
            <dd class="mono">{d.id}</dd>
            <dt>Event</dt>
            <dd>
              {d.eventType} <span class="mono">{d.eventId}</span>
            </dd>
            <dt>Endpoint</dt>
            <dd>
              <Link to={`${scope.prefix}/endpoints/${d.endpointId}`}>{d.endpointId}</Link>
            </dd>
            <dt>Trigger</dt>
            <dd>{d.trigger ?? '—'}</dd>
            <dt>Created</dt>
            <dd>
              <Time at={d.createdAt} />
            </dd>
            <dt>Next attempt</dt>
            <dd>
              <Time at={d.nextAttemptAt} />
            </dd>
          </dl>
          <section aria-labelledby="payload-title">
            <h2 id="payload-title">Request body</h2>
            {d.payloadRemoved ? <Notice>Payload removed ({d.payloadRemoved.reason})</Notice> : null}
            {d.payload !== null ? (
              <Json value={d.payload} label="Request body" />
            ) : (
              <p class="muted">Not available</p>
            )}
          </section>
          <section aria-labelledby="attempts-title">
            <h2 id="attempts-title">Attempts ({d.attempts.length})</h2>
            <ol class="timeline">
              {d.attempts.map((a) => (
                <AttemptItem key={a.id} attempt={a} template={me.console?.traceUrlTemplate} />
              ))}
            </ol>
          </section>
        </>
      ) : !error ? (
        <p>Loading…</p>
      ) : null}
    </>
  );
}
