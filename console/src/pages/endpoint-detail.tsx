import { useState } from 'preact/hooks';
import { endpointsApi } from '../api/endpoints';
import { errorText } from '../api/client';
import type { TestResult } from '../api/types';
import { useSession, type WorkspaceScope } from '../context';
import { Button, Confirm, ErrorLine, Field, Link, Notice, PageTitle, Time, useLoad } from '../components/ui';
import { navigate } from '../router';
import { HealthSummary } from './endpoint-health';

const GRACE_PERIODS = ['0s', '1h', '24h', '7d'];

/** One endpoint: its settings, health, and the actions the session's permissions allow. */
export function EndpointDetailPage({ scope, id }: { scope: WorkspaceScope; id: string }) {
  const { can } = useSession();
  const endpoint = useLoad(() => endpointsApi.get(scope.ws, id), [scope.ws, id]);
  const health = useLoad(() => endpointsApi.health(scope.ws, id, '24h'), [scope.ws, id]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [test, setTest] = useState<TestResult | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [grace, setGrace] = useState('24h');
  const run = async (name: string, action: () => Promise<void>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(null);
    }
  };
  const e = endpoint.data;
  if (!e)
    return (
      <>
        <PageTitle>Endpoint</PageTitle>
        <ErrorLine error={endpoint.error} />
        {endpoint.loading ? <p>Loading…</p> : null}
      </>
    );
  const writable = can('endpoints.write');
  return (
    <>
      <p class="crumbs">
        <Link to={`${scope.prefix}/endpoints`}>← Endpoints</Link>
      </p>
      <PageTitle>Endpoint</PageTitle>
      <p class="wrap lead">{e.url}</p>
      <div class="row actions">
        {writable ? (
          <Link class="btn" to={`${scope.prefix}/endpoints/${id}/edit`}>
            Edit
          </Link>
        ) : null}
        <Link class="btn" to={`${scope.prefix}/deliveries?endpointId=${id}`}>
          Deliveries
        </Link>
        <Link class="btn" to={`${scope.prefix}/endpoints/${id}/health`}>
          Health
        </Link>
        <Button
          disabled={!writable}
          busy={busy === 'test'}
          onClick={() => run('test', async () => setTest(await endpointsApi.test(scope.ws, id)))}
        >
          Send test event
        </Button>
        <Button
          disabled={!writable}
          busy={busy === 'toggle'}
          onClick={() =>
            run('toggle', async () => {
              await endpointsApi.update(scope.ws, id, { disabled: !e.disabled });
              endpoint.reload();
            })
          }
        >
          {e.disabled ? 'Enable' : 'Disable'}
        </Button>
        <Button kind="danger" disabled={!writable} onClick={() => setConfirmDelete(true)}>
          Delete
        </Button>
      </div>
      <ErrorLine error={error} />
      {test ? (
        <section aria-labelledby="test-title" class="panel">
          <h2 id="test-title">Test event</h2>
          <p role="status">
            {test.delivered ? 'Delivered' : 'Not delivered'}
            {test.status !== null ? ` · HTTP ${test.status}` : ''} · {test.latencyMs} ms
            {test.error ? ` · ${test.error}` : ''}
          </p>
          {test.responseBody ? <pre class="code">{test.responseBody}</pre> : null}
          <Link to={`${scope.prefix}/deliveries/${test.deliveryId}`}>Open the test delivery</Link>
        </section>
      ) : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd>{e.disabled ? `disabled${e.disabledReason ? ` (${e.disabledReason})` : ''}` : 'enabled'}</dd>
        <dt>Event types</dt>
        <dd>{e.eventTypes.join(', ')}</dd>
        <dt>Description</dt>
        <dd>{e.description ?? '—'}</dd>
        <dt>Payload shape</dt>
        <dd>{e.payloadProfile}</dd>
        <dt>Signature</dt>
        <dd>
          {e.signatureScheme}
          {e.signatureHeader ? ` (${e.signatureHeader})` : ''}
        </dd>
        <dt>Timeout</dt>
        <dd>{e.timeoutMs} ms</dd>
        <dt>FIFO</dt>
        <dd>{e.fifo ? 'yes' : 'no'}</dd>
        <dt>Version</dt>
        <dd>{e.version}</dd>
        <dt>Updated</dt>
        <dd>
          <Time at={e.updatedAt} />
        </dd>
      </dl>
      <section aria-labelledby="secret-title" class="panel">
        <h2 id="secret-title">Signing secret</h2>
        <p class="muted">
          {e.secrets.length} active key{e.secrets.length === 1 ? '' : 's'}
          {e.secrets.some((s) => s.expiresAt) ? ' (a previous one is still in its grace period)' : ''}
        </p>
        {can('secrets.read') ? (
          <Button
            busy={busy === 'reveal'}
            onClick={() =>
              run('reveal', async () => {
                const revealed = await endpointsApi.revealSecret(scope.ws, id);
                setSecret({ label: 'Current secret', value: revealed.secret });
              })
            }
          >
            Reveal secret
          </Button>
        ) : null}
        {writable ? (
          <div class="row">
            <Field label="Previous secret keeps working for">
              <select value={grace} onChange={(ev) => setGrace(ev.currentTarget.value)}>
                {GRACE_PERIODS.map((g) => (
                  <option key={g}>{g}</option>
                ))}
              </select>
            </Field>
            <Button
              busy={busy === 'rotate'}
              onClick={() =>
                run('rotate', async () => {
                  const rotated = await endpointsApi.rotateSecret(scope.ws, id, grace);
                  setSecret({ label: 'New secret', value: rotated.secret });
                  endpoint.reload();
                })
              }
            >
              Rotate secret
            </Button>
          </div>
        ) : null}
        {secret ? (
          <Field label={secret.label}>
            <input class="mono" readOnly value={secret.value} onFocus={(ev) => ev.currentTarget.select()} />
          </Field>
        ) : null}
      </section>
      <section aria-labelledby="health-title" class="panel">
        <h2 id="health-title">Health (24h)</h2>
        <ErrorLine error={health.error} />
        {health.data ? <HealthSummary health={health.data} /> : null}
      </section>
      {e.disabled ? null : <Notice>Deliveries flow to this endpoint as events arrive.</Notice>}
      <Confirm
        open={confirmDelete}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() =>
          run('delete', async () => {
            setConfirmDelete(false);
            await endpointsApi.remove(scope.ws, id);
            navigate(`${scope.prefix}/endpoints`);
          })
        }
      >
        <p class="wrap">{e.url} stops receiving deliveries. This cannot be undone.</p>
      </Confirm>
    </>
  );
}
