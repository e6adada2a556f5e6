import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, type DomainEvent } from '@herald/contracts';
import { assertSafeUrl, withAllowlist } from '@herald/egress';
import { SignedAttemptPerformer } from '@herald/http-delivery';
import { EndpointRepository, toEndpointSnapshot, WorkspaceRepository } from '@herald/persistence';
import { renderPayload } from '@herald/payloads';
import { API_SETTINGS, type ApiSettings } from '../../api.settings';

export const TEST_EVENT_TYPE = 'herald.test';

/** What the test ping reports back to the caller. */
export interface TestPostResult {
  delivered: boolean;
  status: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
}

/** Sends a signed `herald.test` event to the endpoint now and reports what the receiver answered. */
@Injectable()
export class SendTestEventUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(SignedAttemptPerformer) private readonly performer: SignedAttemptPerformer,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string }): Promise<TestPostResult> {
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    const allow = await this.workspaces.egressAllowCidrs(endpoint.workspaceId);
    const snapshot = toEndpointSnapshot(endpoint, await this.endpoints.secrets(endpoint.id), allow);
    // The URL was checked at save; the allowlists may have shrunk since.
    assertSafeUrl(snapshot.url, withAllowlist(this.settings.egress, allow));
    const event: DomainEvent = {
      id: `test_${randomUUID()}`,
      type: TEST_EVENT_TYPE,
      workspaceId: snapshot.workspaceId,
      occurredAt: new Date().toISOString(),
      data: { message: 'This is a test event from Herald', endpointId: snapshot.id },
    };
    const { result } = await this.performer.perform(snapshot, {
      webhookId: event.id,
      attempt: 1,
      body: renderPayload(snapshot.payloadProfile, event),
      traceparent: null,
    });
    const status = result.status;
    return {
      delivered: status !== null && status >= 200 && status < 300,
      status,
      latencyMs: result.durationMs,
      responseBody: status !== null ? result.body : null,
      error: result.errorMessage,
    };
  }
}
