import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { ApiKeyRepository } from '@herald/persistence';

@Injectable()
export class RevokeApiKeyUseCase {
  constructor(@Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository) {}

  async execute(command: { workspaceId: string; keyId: string }): Promise<void> {
    if (!(await this.keys.revoke(command.workspaceId, command.keyId)))
      throw new DomainError(ErrorCode.NotFound, `API key ${command.keyId} not found`);
  }
}
