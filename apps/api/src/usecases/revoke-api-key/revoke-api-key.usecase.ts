import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { ApiKeyRepository } from '@herald/persistence';
import { keyManagementRefusal, type KeyActor } from '../../auth/workspace-role.policy';

/** Revokes a key of the workspace; a key that outranks the caller's stays (an admin and an owner key). */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(@Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository) {}

  async execute(command: { workspaceId: string; keyId: string; actor: KeyActor }): Promise<void> {
    const key = await this.keys.findActive(command.workspaceId, command.keyId);
    if (!key) throw new DomainError(ErrorCode.NotFound, `API key ${command.keyId} not found`);
    // A key's role never changes, so checking it before the revoke cannot race with a change.
    const refusal = keyManagementRefusal(command.actor, key.role, 'revoke');
    if (refusal) throw refusal;
    if (!(await this.keys.revoke(command.workspaceId, command.keyId)))
      throw new DomainError(ErrorCode.NotFound, `API key ${command.keyId} not found`);
  }
}
