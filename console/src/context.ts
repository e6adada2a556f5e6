import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Permission } from './api/types';

export interface Session {
  me: Me;
  /** Whether the API would let this token do it (it enforces it anyway). */
  can: (permission: Permission) => boolean;
  portal: boolean;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('no session');
  return session;
}

export function sessionOf(me: Me, signOut: () => void): Session {
  const permissions = me.kind === 'operator' ? null : me.permissions;
  return {
    me,
    can: (permission) => permissions === null || permissions.includes(permission),
    portal: me.kind === 'portal',
    signOut,
  };
}

/** Where a workspace's pages live: `/ws/<id>` in the console, `/portal` for a portal link. */
export interface WorkspaceScope {
  ws: string;
  prefix: string;
}
