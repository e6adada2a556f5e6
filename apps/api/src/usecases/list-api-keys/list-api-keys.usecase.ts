import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyRepository } from '@herald/persistence';
import type { ApiKeyView } from '../../dto/workspace.dto';
import { toApiKeyView } from '../create-api-key/create-api-key.usecase';

/** A workspace's keys that still work; never their secret part. */
@Injectable()
export class ListApiKeysUseCase {
  constructor(@Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository) {}

  async execute(command: { workspaceId: string }): Promise<{ data: ApiKeyView[] }> {
    const keys = await this.keys.list(command.workspaceId);
    return { data: keys.filter((k) => k.revokedAt === null).map(toApiKeyView) };
  }
}
