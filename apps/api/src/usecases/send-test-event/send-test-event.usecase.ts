import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, type DomainEvent } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import { assertSafeUrl, egressPolicy } from '@herald/egress';
import { EndpointRepository, toEndpointSnapshot } from '@herald/persistence';
import { renderPayload } from '@herald/payloads';
import { serviceEnv } from '@herald/runtime';
import { activeSecrets, prepareSigningKey, SecretCipher, signWebhook } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../../api.env';
import { SignedTestClient, type TestPostResult } from './signed-test.client';

export const TEST_EVENT_TYPE = 'herald.test';

/** Sends a signed `herald.test` event to the endpoint now and reports what the receiver answered. */
@Injectable()
export class SendTestEventUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    @Inject(SignedTestClient) private readonly client: SignedTestClient,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string }): Promise<TestPostResult> {
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    const snapshot = toEndpointSnapshot(endpoint, await this.endpoints.secrets(endpoint.id));
    assertSafeUrl(
      snapshot.url,
      egressPolicy(loadConfig(serviceEnv).HERALD_MODE, this.env.HERALD_EGRESS_ALLOW_CIDRS),
    );
    const event: DomainEvent = {
      id: `test_${randomUUID()}`,
      type: TEST_EVENT_TYPE,
      workspaceId: snapshot.workspaceId,
      occurredAt: new Date().toISOString(),
      data: { message: 'This is a test event from Herald', endpointId: snapshot.id },
    };
    const body = renderPayload(snapshot.payloadProfile, event);
    const keys = activeSecrets(snapshot.secrets).map((s) =>
      prepareSigningKey(snapshot.signatureScheme, this.cipher.decrypt(s.ciphertext)),
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      ...snapshot.headers,
      'webhook-id': event.id,
      'webhook-timestamp': String(timestamp),
      ...signWebhook(snapshot.signatureScheme, {
        webhookId: event.id,
        timestamp,
        body,
        keys,
        signatureHeader: snapshot.signatureHeader,
      }),
    };
    return this.client.post(snapshot.url, body, headers, snapshot.timeoutMs);
  }
}
