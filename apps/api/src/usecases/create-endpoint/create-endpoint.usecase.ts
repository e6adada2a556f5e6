import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, type PayloadProfile, type SignatureScheme } from '@herald/contracts';
import {
  EndpointRepository,
  WorkspaceRepository,
  type EndpointEntity,
  type SigningSecretEntity,
} from '@herald/persistence';
import { generateSigningSecret, sealHeaders, SecretCipher } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../../api.env';
import { EndpointSettingsPolicy } from '../../endpoints/endpoint-settings.policy';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import { toEndpointView } from '../../endpoints/endpoint.view';
import type { EndpointView } from '../../dto/endpoint.dto';
import { UpdateEndpointUseCase } from '../update-endpoint/update-endpoint.usecase';
import { endpointLimitRefusal } from './endpoint-limit.policy';

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
  eventVersion?: number | null;
  line?: string | null;
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
 * version stays the same. A workspace holds at most HERALD_WORKSPACE_MAX_ENDPOINTS endpoints: creations
 * in one workspace take its row lock, so two cannot both take the last place.
 */
@Injectable()
export class CreateEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSettingsPolicy) private readonly policy: EndpointSettingsPolicy,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    @Inject(UpdateEndpointUseCase) private readonly update: UpdateEndpointUseCase,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: CreateEndpointCommand): Promise<CreateEndpointResult> {
    const scheme = command.signatureScheme ?? 'standard-webhooks';
    const { url } = this.policy.check({
      ...command,
      signatureScheme: scheme,
      egressAllowCidrs: await this.workspaces.egressAllowCidrs(command.workspaceId),
    });
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
      legacyHeaders: {},
      // Header values are credentials: sealed like the signing secret.
      sealedHeaders: sealHeaders(this.cipher, command.headers ?? {}),
      timeoutMs: command.timeoutMs ?? this.policy.defaults.timeoutMs,
      maxInFlight: command.maxInFlight ?? this.policy.defaults.maxInFlight,
      rateLimitPerSecond: command.rateLimitPerSecond ?? null,
      eventVersion: command.eventVersion ?? null,
      line: command.line ?? null,
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
        await this.workspaces.lockForWrites(manager, endpoint.workspaceId);
        const existing = await this.endpoints.countInWorkspace(manager, endpoint.workspaceId);
        const refusal = endpointLimitRefusal(existing, this.env.HERALD_WORKSPACE_MAX_ENDPOINTS);
        if (refusal) throw refusal;
        await this.endpoints.save(manager, endpoint);
        await this.endpoints.saveSecrets(manager, [secret]);
        const { secrets } = await this.publisher.publish(manager, endpoint);
        return toEndpointView(endpoint, secrets);
      });
      return { created: true, endpoint: view, secret: generated.secret, publicKey: generated.publicKey };
    } catch (error) {
      // Two registrations of one URL raced: the other one won (a unique violation, or it took the
      // workspace's last place), return it.
      if ((error as { code?: string }).code === '23505' || isEndpointLimit(error)) {
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

function isEndpointLimit(error: unknown): boolean {
  return error instanceof DomainError && error.code === ErrorCode.EndpointLimitReached;
}
