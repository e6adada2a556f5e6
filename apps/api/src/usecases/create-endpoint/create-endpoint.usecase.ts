import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  ErrorCode,
  type PayloadProfile,
  type ProductProfileName,
  type SignatureScheme,
} from '@herald/contracts';
import {
  EndpointRepository,
  toEndpointSnapshot,
  WorkspaceRepository,
  type EndpointEntity,
  type SigningSecretEntity,
} from '@herald/persistence';
import { checkSuppliedSecret, generateSigningSecret, sealHeaders, SecretCipher } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../../api.env';
import { EndpointSettingsPolicy } from '../../endpoints/endpoint-settings.policy';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';
import { withProductProfile } from '../../endpoints/product-profile.policy';
import { toEndpointView } from '../../endpoints/endpoint.view';
import type { EndpointView } from '../../dto/endpoint.dto';
import { testPostResult, type TestPostResult } from '../send-test-event/send-test-event.usecase';
import type { TestPing } from '../send-test-event/test-ping.record';
import { TestPingSender } from '../send-test-event/test-ping.sender';
import { UpdateEndpointUseCase } from '../update-endpoint/update-endpoint.usecase';
import { endpointLimitRefusal } from './endpoint-limit.policy';
import { verificationError, verificationFailure } from './verification.policy';

export interface CreateEndpointCommand {
  workspaceId: string;
  url: string;
  eventTypes: string[];
  filter?: Record<string, unknown> | null;
  description?: string | null;
  /** Sets the settings below that it names, except those given here (product-profile.policy). */
  productProfile?: ProductProfileName | null;
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
  /** Store the endpoint only if a signed test ping to it is answered 200 (NexaDesk). */
  verifyOnCreate?: boolean;
  /** The caller's own signing secret (supplied-secret.policy); otherwise one is generated. */
  secret?: string;
}

export type CreateEndpointResult =
  | {
      created: true;
      endpoint: EndpointView;
      secret: string;
      publicKey: string | null;
      /** The verification ping's answer, when verifyOnCreate was on. */
      verification?: TestPostResult;
    }
  | { created: false; endpoint: EndpointView };

/**
 * Creates an endpoint with a fresh signing secret. Registering a URL the workspace already has
 * (agents register themselves on every start) returns that endpoint after applying the event types
 * and settings sent, as a PATCH would; its secret is not shown again and, when nothing differs, its
 * version stays the same. A workspace holds at most HERALD_WORKSPACE_MAX_ENDPOINTS endpoints: creations
 * in one workspace take its row lock, so two cannot both take the last place. With verifyOnCreate a
 * new endpoint is stored only after its URL answered a signed test ping with 200 (verification.policy);
 * that ping is then in its delivery log as a test. A re-registered URL is not verified again. A
 * productProfile fills in the settings it names, verifyOnCreate included, unless the request sends them.
 * A supplied secret is used instead of a generated one (the ping is signed with it); sent for a URL the
 * workspace already has, it is refused with 409 rather than silently dropped.
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
    @Inject(TestPingSender) private readonly pings: TestPingSender,
  ) {}

  async execute(request: CreateEndpointCommand): Promise<CreateEndpointResult> {
    const command = withProductProfile(request, this.policy.retryTiersMs);
    const scheme = command.signatureScheme ?? 'standard-webhooks';
    const allow = await this.workspaces.egressAllowCidrs(command.workspaceId);
    const { url } = this.policy.check({ ...command, signatureScheme: scheme, egressAllowCidrs: allow });
    // Checked against the scheme the endpoint gets, profile included, before any ping or lookup.
    const generated =
      command.secret !== undefined
        ? checkSuppliedSecret(scheme, command.secret)
        : generateSigningSecret(scheme);
    const existing = await this.findExisting(command.workspaceId, url!);
    if (existing) return { created: false, endpoint: await this.reRegister(existing, request) };

    const now = new Date();
    const endpoint: EndpointEntity = {
      id: randomUUID(),
      workspaceId: command.workspaceId,
      version: 1,
      url: url!,
      eventTypes: command.eventTypes,
      filter: command.filter ?? null,
      description: command.description ?? null,
      productProfile: command.productProfile ?? null,
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
    const secret: SigningSecretEntity = {
      id: randomUUID(),
      endpointId: endpoint.id,
      workspaceId: endpoint.workspaceId,
      ciphertext: this.cipher.encrypt(generated.secret),
      publicKey: generated.publicKey,
      createdAt: now,
      expiresAt: null,
    };
    // Before anything is stored: a URL that fails verification leaves no endpoint behind.
    const ping = command.verifyOnCreate ? await this.verify(endpoint, secret, allow) : null;
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
      if (!ping)
        return { created: true, endpoint: view, secret: generated.secret, publicKey: generated.publicKey };
      await this.pings.record(endpoint, ping);
      return {
        created: true,
        endpoint: view,
        secret: generated.secret,
        publicKey: generated.publicKey,
        verification: testPostResult(ping),
      };
    } catch (error) {
      // Two registrations of one URL raced: the other one won (a unique violation, or it took the
      // workspace's last place), return it.
      if ((error as { code?: string }).code === '23505' || isEndpointLimit(error)) {
        const winner = await this.findExisting(command.workspaceId, url!);
        if (winner) return { created: false, endpoint: await this.reRegister(winner, request) };
      }
      throw error;
    }
  }

  /**
   * Verify-on-create: the signed test ping, with the secret, scheme, header and payload shape the
   * endpoint is about to be stored with, must be answered exactly 200. The egress policy applies at
   * connect time as on every attempt (the URL's static check already passed).
   */
  private async verify(
    endpoint: EndpointEntity,
    secret: SigningSecretEntity,
    allow: readonly string[],
  ): Promise<TestPing> {
    const ping = await this.pings.send(toEndpointSnapshot(endpoint, [secret], allow));
    const failure = verificationFailure(ping.performed.result);
    if (!failure) return ping;
    this.pings.forget(endpoint.id);
    throw verificationError(failure);
  }

  private findExisting(workspaceId: string, url: string): Promise<EndpointEntity | null> {
    return this.endpoints.transaction((manager) => this.endpoints.findByUrl(manager, workspaceId, url));
  }

  private reRegister(existing: EndpointEntity, command: CreateEndpointCommand): Promise<EndpointView> {
    const { workspaceId, url: _url, verifyOnCreate: _verify, secret, ...fields } = command;
    // Returning the endpoint would leave the caller's receiver holding a secret nothing signs with.
    if (secret !== undefined) throw secretOnExistingUrl();
    return this.update.execute({ ...fields, workspaceId, endpointId: existing.id, onlyIfChanged: true });
  }
}

function secretOnExistingUrl(): DomainError {
  return new DomainError(
    ErrorCode.Conflict,
    'the workspace already has an endpoint for this URL, and a create does not replace its secret: ' +
      'set it with POST .../endpoints/:id/secret/rotate and {"secret": ...}',
    { fields: [{ field: 'secret', message: 'not applied to an existing endpoint; rotate to set it' }] },
  );
}

function isEndpointLimit(error: unknown): boolean {
  return error instanceof DomainError && error.code === ErrorCode.EndpointLimitReached;
}
