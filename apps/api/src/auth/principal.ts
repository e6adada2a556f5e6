import type { WorkspaceRole } from '@herald/persistence';

/** Who is calling: the operator token, or one workspace's API key. */
export type Principal =
  { kind: 'operator' } | { kind: 'api-key'; keyId: string; workspaceId: string; role: WorkspaceRole };

export const PRINCIPAL = 'heraldPrincipal';
