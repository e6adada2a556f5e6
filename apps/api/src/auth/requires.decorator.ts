import { SetMetadata } from '@nestjs/common';
import type { Permission } from './workspace-role.policy';

export const REQUIRES = 'heraldRequires';

/** The permission a route needs; routes under `/v1/workspaces/:ws` are also scoped to that workspace. */
export const Requires = (permission: Permission) => SetMetadata(REQUIRES, permission);
