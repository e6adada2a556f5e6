import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { SecretCipher } from '@herald/signing';
import type { RevealedSecretView } from '../../dto/endpoint.dto';

/** Decrypts the endpoint's current signing secret for a caller whose role may see it. */
@Injectable()
export class RevealSecretUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string }): Promise<RevealedSecretView> {
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    const secrets = await this.endpoints.secrets(endpoint.id);
    const current = secrets.find((s) => s.expiresAt === null) ?? secrets[0];
    if (!current) throw new DomainError(ErrorCode.NotFound, 'this endpoint has no signing secret');
    return {
      id: current.id,
      secret: this.cipher.decrypt(current.ciphertext),
      publicKey: current.publicKey,
      expiresAt: current.expiresAt ? current.expiresAt.toISOString() : null,
    };
  }
}
