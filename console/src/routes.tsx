import { useEffect } from 'preact/hooks';
import { useSession, type WorkspaceScope } from './context';
import { match, navigate } from './router';
import { EndpointsPage } from './pages/endpoints';
import { EndpointFormPage } from './pages/endpoint-form';
import { EndpointDetailPage } from './pages/endpoint-detail';
import { EndpointHealthPage } from './pages/endpoint-health';
import { DeliveriesPage } from './pages/deliveries';
import { DeliveryDetailPage } from './pages/delivery-detail';
import { JobsPage } from './pages/jobs';
import { JobPage } from './pages/job';
import { EventTypesPage } from './pages/event-types';
import { WorkspacesPage } from './pages/workspaces';
import { KeysPage } from './pages/keys';
import { SystemPage } from './pages/system';
import { PageTitle } from './components/ui';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function NotFound() {
  return (
    <>
      <PageTitle>Not found</PageTitle>
      <p>This page does not exist.</p>
    </>
  );
}

/** Pages of one workspace, below `/ws/:ws` in the console and `/portal` for a portal link. */
function workspaceRoute(rest: string, scope: WorkspaceScope, portal: boolean) {
  let p: Record<string, string> | null;
  if (rest === '/endpoints') return <EndpointsPage scope={scope} />;
  if (rest === '/endpoints/new') return <EndpointFormPage scope={scope} />;
  if ((p = match('/endpoints/:id', rest))) return <EndpointDetailPage scope={scope} id={p.id} />;
  if ((p = match('/endpoints/:id/edit', rest))) return <EndpointFormPage scope={scope} id={p.id} />;
  if ((p = match('/endpoints/:id/health', rest))) return <EndpointHealthPage scope={scope} id={p.id} />;
  if (rest === '/deliveries') return <DeliveriesPage scope={scope} />;
  if ((p = match('/deliveries/:id', rest))) return <DeliveryDetailPage scope={scope} id={p.id} />;
  if (portal) return null;
  if (rest === '/jobs') return <JobsPage scope={scope} />;
  if ((p = match('/jobs/:id', rest))) return <JobPage scope={scope} id={p.id} />;
  if (rest === '/keys') return <KeysPage scope={scope} />;
  return null;
}

export function Routes({ path }: { path: string }) {
  const { me } = useSession();
  if (me.kind === 'portal') {
    if (!path.startsWith('/portal/')) return <Redirect to="/portal/endpoints" />;
    const page = workspaceRoute(
      path.slice('/portal'.length),
      { ws: me.workspaceId, prefix: '/portal' },
      true,
    );
    return page ?? <NotFound />;
  }
  if (path === '/' || path.startsWith('/portal'))
    return (
      <Redirect
        to={me.kind === 'operator' ? '/workspaces' : `/ws/${encodeURIComponent(me.workspaceId)}/endpoints`}
      />
    );
  if (path === '/event-types') return <EventTypesPage />;
  if (me.kind === 'operator') {
    if (path === '/workspaces') return <WorkspacesPage />;
    if (path === '/system') return <SystemPage />;
  }
  const ws = /^\/ws\/([^/]+)(\/.*)$/.exec(path);
  if (ws) {
    const id = decodeURIComponent(ws[1]);
    if (me.kind === 'api-key' && id !== me.workspaceId) return <NotFound />;
    const page = workspaceRoute(ws[2], { ws: id, prefix: `/ws/${ws[1]}` }, false);
    if (page) return page;
  }
  return <NotFound />;
}
