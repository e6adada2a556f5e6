import { useEffect, useState } from 'preact/hooks';
import { endpointsApi, type EndpointInput } from '../api/endpoints';
import { errorText } from '../api/client';
import type { CreatedEndpoint, Endpoint } from '../api/types';
import { useSession, type WorkspaceScope } from '../context';
import { Button, ErrorLine, Field, Link, Notice, PageTitle } from '../components/ui';
import { navigate } from '../router';

const PAYLOAD_PROFILES = ['herald', 'messagedesk', 'messages-dev', 'nexadesk'];
const SCHEMES = ['standard-webhooks', 'ed25519', 'hmac-base64', 'hmac-hex', 'hmac-sha256-prefixed'];

interface FormState {
  url: string;
  eventTypes: string;
  description: string;
  payloadProfile: string;
  signatureScheme: string;
  timeoutMs: string;
  fifo: boolean;
}

function formOf(endpoint?: Endpoint): FormState {
  return {
    url: endpoint?.url ?? '',
    eventTypes: endpoint?.eventTypes.join(', ') ?? '',
    description: endpoint?.description ?? '',
    payloadProfile: endpoint?.payloadProfile ?? 'herald',
    signatureScheme: endpoint?.signatureScheme ?? 'standard-webhooks',
    timeoutMs: endpoint ? String(endpoint.timeoutMs) : '',
    fifo: endpoint?.fifo ?? false,
  };
}

function inputOf(form: FormState, creating: boolean): EndpointInput {
  const input: EndpointInput = {
    url: form.url.trim(),
    eventTypes: form.eventTypes
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter(Boolean),
    description: form.description.trim() || null,
    payloadProfile: form.payloadProfile,
    fifo: form.fifo,
  };
  // A scheme change keeps the secrets, so it is chosen on create; rotate to change it later.
  if (creating) input.signatureScheme = form.signatureScheme;
  if (form.timeoutMs.trim()) input.timeoutMs = Number(form.timeoutMs);
  return input;
}

/** Create an endpoint, or edit one (`id`). A created endpoint's secret is shown once, here. */
export function EndpointFormPage({ scope, id }: { scope: WorkspaceScope; id?: string }) {
  const { can } = useSession();
  const [form, setForm] = useState<FormState>(formOf());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  useEffect(() => {
    if (!id) return;
    endpointsApi.get(scope.ws, id).then(
      (endpoint) => setForm(formOf(endpoint)),
      (failure: unknown) => setError(errorText(failure)),
    );
  }, [scope.ws, id]);
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (id) {
        await endpointsApi.update(scope.ws, id, inputOf(form, false));
        navigate(`${scope.prefix}/endpoints/${id}`);
      } else {
        setCreated(await endpointsApi.create(scope.ws, inputOf(form, true)));
      }
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  if (created)
    return (
      <>
        <PageTitle>Endpoint created</PageTitle>
        <p class="wrap">{created.url}</p>
        {created.secret ? (
          <>
            <Notice>Copy the signing secret now: it is shown only once here.</Notice>
            <Field label="Signing secret">
              <input class="mono" readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} />
            </Field>
          </>
        ) : (
          <Notice>The workspace already had this URL; its settings were updated.</Notice>
        )}
        <Link class="btn btn-primary" to={`${scope.prefix}/endpoints/${created.id}`}>
          Open endpoint
        </Link>
      </>
    );
  const writable = can('endpoints.write');
  return (
    <>
      <p class="crumbs">
        <Link to={id ? `${scope.prefix}/endpoints/${id}` : `${scope.prefix}/endpoints`}>← Back</Link>
      </p>
      <PageTitle>{id ? 'Edit endpoint' : 'New endpoint'}</PageTitle>
      <form onSubmit={submit} class="form">
        <Field label="URL">
          <input
            type="url"
            name="url"
            required
            value={form.url}
            onInput={(e) => set({ url: e.currentTarget.value })}
          />
        </Field>
        <Field label="Event types" hint="Comma separated: message.received, lead.*, or *">
          <input
            name="eventTypes"
            required
            value={form.eventTypes}
            onInput={(e) => set({ eventTypes: e.currentTarget.value })}
          />
        </Field>
        <Field label="Description">
          <input
            name="description"
            value={form.description}
            onInput={(e) => set({ description: e.currentTarget.value })}
          />
        </Field>
        <Field label="Payload shape">
          <select
            value={form.payloadProfile}
            onChange={(e) => set({ payloadProfile: e.currentTarget.value })}
          >
            {PAYLOAD_PROFILES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </Field>
        {id ? null : (
          <Field label="Signature scheme">
            <select
              value={form.signatureScheme}
              onChange={(e) => set({ signatureScheme: e.currentTarget.value })}
            >
              {SCHEMES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Timeout (ms)" hint="Empty: the operator's default">
          <input
            type="number"
            min={100}
            name="timeoutMs"
            value={form.timeoutMs}
            onInput={(e) => set({ timeoutMs: e.currentTarget.value })}
          />
        </Field>
        <label class="check">
          <input
            type="checkbox"
            checked={form.fifo}
            onChange={(e) => set({ fifo: e.currentTarget.checked })}
          />
          Deliver one at a time, in order (FIFO)
        </label>
        <ErrorLine error={error} />
        <Button type="submit" kind="primary" busy={busy} disabled={!writable}>
          {id ? 'Save' : 'Create endpoint'}
        </Button>
      </form>
    </>
  );
}
