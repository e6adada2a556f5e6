import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { assertSafeUrl, withAllowlist } from '@herald/egress';
import { EndpointRepository, toEndpointSnapshot, WorkspaceRepository } from '@herald/persistence';
import { API_SETTINGS, type ApiSettings } from '../../api.settings';
import type { TestPing } from './test-ping.record';
import { TestPingSender } from './test-ping.sender';

export { TEST_EVENT_TYPE } from './test-ping.sender';

/** What the test ping reports back to the caller. */
export interface TestPostResult {
  /** The ping's delivery in the delivery log (GET .../deliveries/:id), marked `test: true`. */
  deliveryId: string;
  delivered: boolean;
  status: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
}

/** What the receiver answered a ping, as the API shows it. */
export function testPostResult(ping: TestPing): TestPostResult {
  const { result } = ping.performed;
  const status = result.status;
  return {
    deliveryId: ping.deliveryId,
    delivered: status !== null && status >= 200 && status < 300,
    status,
    latencyMs: result.durationMs,
    responseBody: status !== null ? result.body : null,
    error: result.errorMessage,
  };
}

/**
 * Sends a signed `herald.test` event to the endpoint now, records it in the delivery log as a test,
 * and reports what the receiver answered.
 */
@Injectable()
export class SendTestEventUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(TestPingSender) private readonly pings: TestPingSender,
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
    const ping = await this.pings.send(snapshot);
    await this.pings.record(snapshot, ping);
    return testPostResult(ping);
  }
}
