import type { ComponentChildren } from 'preact';
import { useSession } from './context';
import { Button, Link } from './components/ui';

interface NavItem {
  to: string;
  label: string;
}

/** The workspace a path is about, for the operator's workspace navigation. */
function workspaceOf(path: string): string | null {
  const match = /^\/ws\/([^/]+)/.exec(path);
  return match ? decodeURIComponent(match[1]) : null;
}

function navItems(path: string, session: ReturnType<typeof useSession>): NavItem[] {
  const { me } = session;
  if (me.kind === 'portal')
    return [
      { to: '/portal/endpoints', label: 'Endpoints' },
      { to: '/portal/deliveries', label: 'Deliveries' },
    ];
  const ws = me.kind === 'api-key' ? me.workspaceId : workspaceOf(path);
  const items: NavItem[] = [];
  if (me.kind === 'operator') items.push({ to: '/workspaces', label: 'Workspaces' });
  if (ws) {
    const prefix = `/ws/${encodeURIComponent(ws)}`;
    items.push({ to: `${prefix}/endpoints`, label: 'Endpoints' });
    items.push({ to: `${prefix}/deliveries`, label: 'Deliveries' });
    if (session.can('replay')) items.push({ to: `${prefix}/jobs`, label: 'Recover & backfill' });
    if (session.can('keys.manage')) items.push({ to: `${prefix}/keys`, label: 'Keys & links' });
  }
  items.push({ to: '/event-types', label: 'Event types' });
  if (me.kind === 'operator') items.push({ to: '/system', label: 'System' });
  return items;
}

export function Shell({ path, children }: { path: string; children: ComponentChildren }) {
  const session = useSession();
  const { me } = session;
  const title = me.kind === 'portal' ? me.branding?.name || 'Webhooks' : 'Herald console';
  const who =
    me.kind === 'operator' ? 'operator' : me.kind === 'api-key' ? `${me.workspaceId} · ${me.role}` : null;
  return (
    <div class={me.kind === 'portal' ? 'app portal' : 'app'}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">
          {me.kind === 'portal' && me.branding?.logoUrl?.startsWith('https://') ? (
            <img class="logo" src={me.branding.logoUrl} alt="" />
          ) : null}
          {title}
        </span>
        <nav aria-label="Main">
          <ul>
            {navItems(path, session).map((item) => (
              <li key={item.to}>
                <Link to={item.to} current={path === item.to || path.startsWith(item.to + '/')}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">{who}</span>
        {me.kind === 'portal' ? null : <Button onClick={session.signOut}>Sign out</Button>}
      </header>
      <main id="main">{children}</main>
    </div>
  );
}
