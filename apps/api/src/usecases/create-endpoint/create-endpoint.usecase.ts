import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PayloadProfile, SignatureScheme } from '@herald/contracts';
import { EndpointRepository, type EndpointEntity, type SigningSecretEntity } from '@herald/persistence';
import { generateSigningSecret, SecretCipher } from '@herald/signing';
import { EndpointSettingsPolicy } from '../../endpoints/endpoint-settings.policy';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import { toEndpointView } from '../../endpoints/endpoint.view';
import type { EndpointView } from '../../dto/endpoint.dto';
import { UpdateEndpointUseCase } from '../update-endpoint/update-endpoint.usecase';

export interface CreateEndpointCommand {
  workspaceId: string;
  url: string;
  eventTypes: string[];
  filter?: Record<string, unknown> | null;
  description?: string | null;
  payloadProfile?: PayloadProfile;
  signatureScheme?: SignatureScheme;
  signatureHeader?: string | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxInFlight?: number;
  rateLimitPerSecond?: number | null;
  retrySchedule?: string[] | null;
  fifo?: boolean;
  disabled?: boolean;
}

export type CreateEndpointResult =
  | { created: true; endpoint: EndpointView; secret: string; publicKey: string | null }
  | { created: false; endpoint: EndpointView };

/**
 * Creates an endpoint with a fresh signing secret. Registering a URL the workspace already has
 * (agents register themselves on every start) returns that endpoint after applying the event types
 * and settings sent, as a PATCH would; its secret is not shown again and, when nothing differs, its
 * version stays the same.
 */
@Injectable()
export class CreateEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSettingsPolicy) private readonly policy: EndpointSettingsPolicy,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    @Inject(UpdateEndpointUseCase) private readonly update: UpdateEndpointUseCase,
  ) {}

  async execute(command: CreateEndpointCommand): Promise<CreateEndpointResult> {
    const scheme = command.signatureScheme ?? 'standard-webhooks';
    const { url } = this.policy.check({ ...command, signatureScheme: scheme });
    const existing = await this.findExisting(command.workspaceId, url!);
    if (existing) return { created: false, endpoint: await this.reRegister(existing, command) };

    const now = new Date();
    const endpoint: EndpointEntity = {
      id: randomUUID(),
      workspaceId: command.workspaceId,
      version: 1,
      url: url!,
      eventTypes: command.eventTypes,
      filter: command.filter ?? null,
      description: command.description ?? null,
      payloadProfile: command.payloadProfile ?? 'herald',
      signatureScheme: scheme,
      signatureHeader: command.signatureHeader ?? null,
      headers: command.headers ?? {},
      timeoutMs: command.timeoutMs ?? this.policy.defaults.timeoutMs,
      maxInFlight: command.maxInFlight ?? this.policy.defaults.maxInFlight,
      rateLimitPerSecond: command.rateLimitPerSecond ?? null,
      retrySchedule: command.retrySchedule ?? null,
      fifo: command.fifo ?? false,
      disabled: command.disabled ?? false,
      disabledReason: command.disabled ? 'disabled by a user' : null,
      createdAt: now,
      updatedAt: now,
    };
    const generated = generateSigningSecret(scheme);
    const secret: SigningSecretEntity = {
      id: randomUUID(),
      endpointId: endpoint.id,
      workspaceId: endpoint.workspaceId,
      ciphertext: this.cipher.encrypt(generated.secret),
      publicKey: generated.publicKey,
      createdAt: now,
      expiresAt: null,
    };
    try {
      const view = await this.endpoints.transaction(async (manager) => {
        await this.endpoints.save(manager, endpoint);
        await this.endpoints.saveSecrets(manager, [secret]);
        const { secrets } = await this.publisher.publish(manager, endpoint);
        return toEndpointView(endpoint, secrets);
      });
      return { created: true, endpoint: view, secret: generated.secret, publicKey: generated.publicKey };
    } catch (error) {
      // Two registrations of one URL raced: the other one won, return it.
      if ((error as { code?: string }).code === '23505') {
        const winner = await this.findExisting(command.workspaceId, url!);
        if (winner) return { created: false, endpoint: await this.reRegister(winner, command) };
      }
      throw error;
    }
  }

  private findExisting(workspaceId: string, url: string): Promise<EndpointEntity | null> {
    return this.endpoints.transaction((manager) => this.endpoints.findByUrl(manager, workspaceId, url));
  }

  private reRegister(existing: EndpointEntity, command: CreateEndpointCommand): Promise<EndpointView> {
    const { workspaceId, url: _url, ...fields } = command;
    return this.update.execute({ ...fields, workspaceId, endpointId: existing.id, onlyIfChanged: true });
  }
}
