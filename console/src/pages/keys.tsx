import { useState } from 'preact/hooks';
import { PORTAL_PERMISSIONS, ROLES, workspacesApi } from '../api/workspaces';
import { errorText } from '../api/client';
import type { WorkspaceScope } from '../context';
import { Button, Confirm, ErrorLine, Field, Notice, PageTitle, Time, useLoad } from '../components/ui';

/** API keys (create, revoke) and portal links of one workspace; needs keys.manage. */
export function KeysPage({ scope }: { scope: WorkspaceScope }) {
  const keys = useLoad(() => workspacesApi.keys(scope.ws), [scope.ws]);
  const links = useLoad(() => workspacesApi.portalLinks(scope.ws), [scope.ws]);
  const [name, setName] = useState('');
  const [role, setRole] = useState('developer');
  const [created, setCreated] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<{ kind: 'key' | 'link'; id: string; label: string } | null>(null);
  const [brand, setBrand] = useState('');
  const [colour, setColour] = useState('#3452c7');
  const [ttl, setTtl] = useState('3600');
  const [permissions, setPermissions] = useState<string[]>(['read', 'replay']);
  const act = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const createKey = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const key = await workspacesApi.createKey(scope.ws, name.trim(), role);
      setCreated({ label: `API key ${key.name} (${key.role})`, value: key.key });
      setName('');
      keys.reload();
    });
  };
  const createLink = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const link = await workspacesApi.createPortalLink(scope.ws, {
        expiresInSeconds: Number(ttl),
        permissions,
        branding: { ...(brand.trim() ? { name: brand.trim() } : {}), primaryColor: colour },
      });
      setCreated({ label: 'Portal link', value: link.url });
      links.reload();
    });
  };
  const togglePermission = (p: string, on: boolean) =>
    setPermissions((list) => (on ? [...list, p] : list.filter((x) => x !== p)));
  return (
    <>
      <PageTitle>Keys and portal links</PageTitle>
      <ErrorLine error={error} />
      {created ? (
        <>
          <Notice>Copy it now: it is shown only once.</Notice>
          <Field label={created.label}>
            <input class="mono" readOnly value={created.value} onFocus={(e) => e.currentTarget.select()} />
          </Field>
        </>
      ) : null}
      <h2>API keys</h2>
      <form class="row" onSubmit={createKey}>
        <Field label="Key name">
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Button type="submit" kind="primary">
          Create key
        </Button>
      </form>
      <ErrorLine error={keys.error} />
      <ul class="list">
        {(keys.data?.data ?? []).map((k) => (
          <li key={k.id} class="row">
            <span>
              <strong>{k.name}</strong> · {k.role} · <span class="mono">{k.prefix}…</span> ·{' '}
              <Time at={k.createdAt} />
            </span>
            <Button kind="danger" onClick={() => setRevoking({ kind: 'key', id: k.id, label: k.name })}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      <h2>Portal links</h2>
      <p class="muted">
        A link opens this workspace's endpoints and deliveries for a customer, without an API key.
      </p>
      <form class="form" onSubmit={createLink}>
        <Field label="Brand name">
          <input value={brand} onInput={(e) => setBrand(e.currentTarget.value)} />
        </Field>
        <Field label="Primary colour">
          <input type="color" value={colour} onInput={(e) => setColour(e.currentTarget.value)} />
        </Field>
        <Field label="Valid for (seconds)">
          <input type="number" min={60} value={ttl} onInput={(e) => setTtl(e.currentTarget.value)} />
        </Field>
        <fieldset>
          <legend>Permissions</legend>
          {PORTAL_PERMISSIONS.map((p) => (
            <label class="check" key={p}>
              <input
                type="checkbox"
                checked={permissions.includes(p)}
                onChange={(e) => togglePermission(p, e.currentTarget.checked)}
              />
              {p}
            </label>
          ))}
        </fieldset>
        <Button type="submit" kind="primary">
          Create portal link
        </Button>
      </form>
      <ErrorLine error={links.error} />
      <ul class="list">
        {(links.data?.data ?? []).map((l) => (
          <li key={l.id} class="row">
            <span>
              {l.branding?.name ?? 'Portal link'} · {l.permissions.join(', ')} · expires{' '}
              <Time at={l.expiresAt} />
            </span>
            <Button
              kind="danger"
              onClick={() => setRevoking({ kind: 'link', id: l.id, label: 'this portal link' })}
            >
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      <Confirm
        open={revoking !== null}
        title={`Revoke ${revoking?.label ?? ''}?`}
        confirmLabel="Revoke"
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          const target = revoking;
          setRevoking(null);
          if (!target) return;
          void act(async () => {
            if (target.kind === 'key') {
              await workspacesApi.revokeKey(scope.ws, target.id);
              keys.reload();
            } else {
              await workspacesApi.revokePortalLink(scope.ws, target.id);
              links.reload();
            }
          });
        }}
      >
        <p>Anything using it stops working at once.</p>
      </Confirm>
    </>
  );
}
