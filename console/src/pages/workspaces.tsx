import { useState } from 'preact/hooks';
import { workspacesApi } from '../api/workspaces';
import { errorText } from '../api/client';
import type { Workspace } from '../api/types';
import { Button, ErrorLine, Field, Link, PageTitle, Time, useLoad } from '../components/ui';

/** Operators: every workspace, and a new one. */
export function WorkspacesPage() {
  const first = useLoad(() => workspacesApi.list(), []);
  const [more, setMore] = useState<{ rows: Workspace[]; cursor: string | null | undefined }>({
    rows: [],
    cursor: undefined,
  });
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const cursor = more.cursor === undefined ? first.data?.nextCursor : more.cursor;
  const loadMore = async () => {
    try {
      const page = await workspacesApi.list(cursor);
      setMore((m) => ({ rows: [...m.rows, ...page.data], cursor: page.nextCursor ?? null }));
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await workspacesApi.create(name.trim());
      setName('');
      setMore({ rows: [], cursor: undefined });
      first.reload();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const rows = [...(first.data?.data ?? []), ...more.rows];
  return (
    <>
      <PageTitle>Workspaces</PageTitle>
      <form class="row" onSubmit={create}>
        <Field label="New workspace name">
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Button type="submit" kind="primary">
          Create workspace
        </Button>
      </form>
      <ErrorLine error={error ?? first.error} />
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
                <th scope="col">Pages</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => {
                const prefix = `/ws/${encodeURIComponent(w.id)}`;
                return (
                  <tr key={w.id}>
                    <td>
                      <Link to={`${prefix}/endpoints`}>{w.name}</Link>
                    </td>
                    <td class="mono">{w.id}</td>
                    <td>
                      <Time at={w.createdAt} />
                    </td>
                    <td class="links">
                      <Link to={`${prefix}/deliveries`}>Deliveries</Link>{' '}
                      <Link to={`${prefix}/keys`}>Keys</Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : first.data ? (
        <p>No workspaces yet.</p>
      ) : null}
      {cursor ? <Button onClick={loadMore}>Load more</Button> : null}
    </>
  );
}
