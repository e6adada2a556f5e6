import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyRepository, type ApiKeyEntity, type WorkspaceRole } from '@herald/persistence';
import { generateApiKey } from '../../auth/api-key.codec';
import { keyManagementRefusal, type KeyActor } from '../../auth/workspace-role.policy';
import type { ApiKeyView, CreatedApiKeyView } from '../../dto/workspace.dto';

export interface CreateApiKeyCommand {
  workspaceId: string;
  name: string;
  role: WorkspaceRole;
  /** Who asks: no one may mint a key that outranks their own. */
  actor: KeyActor;
}

export function toApiKeyView(key: ApiKeyEntity): ApiKeyView {
  return {
    id: key.id,
    workspaceId: key.workspaceId,
    name: key.name,
    role: key.role,
    prefix: key.keyPrefix,
    createdAt: key.createdAt.toISOString(),
  };
}

/** The key is returned once; only its sha256 is stored. The caller's rank bounds the key's role. */
@Injectable()
export class CreateApiKeyUseCase {
  constructor(@Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository) {}

  async execute(command: CreateApiKeyCommand): Promise<CreatedApiKeyView> {
    const refusal = keyManagementRefusal(command.actor, command.role, 'create');
    if (refusal) throw refusal;
    const { key, hash, prefix } = generateApiKey();
    const stored = await this.keys.insert({
      id: randomUUID(),
      workspaceId: command.workspaceId,
      name: command.name,
      role: command.role,
      keyHash: hash,
      keyPrefix: prefix,
      createdAt: new Date(),
      revokedAt: null,
    });
    return { ...toApiKeyView(stored), key };
  }
}
