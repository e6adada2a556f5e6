import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { attemptRecordedRecord, type DomainEvent, type EndpointSnapshot } from '@herald/contracts';
import { SignedAttemptPerformer } from '@herald/http-delivery';
import { HeraldProducer } from '@herald/kafka';
import { renderPayload } from '@herald/payloads';
import { testPingAttempt, type TestPing } from './test-ping.record';

export const TEST_EVENT_TYPE = 'herald.test';

/**
 * Sends signed `herald.test` pings (POST .../test, verify-on-create) through the dispatcher's signed
 * attempt path, and records them in the delivery log the way the dispatcher records attempts: on
 * herald.attempts, which the projector writes to Postgres. Never through herald.deliveries, which would
 * make a dispatcher send the ping again and count it toward the endpoint's circuit and health.
 */
@Injectable()
export class TestPingSender {
  private readonly log = new Logger('TestPing');

  constructor(
    @Inject(SignedAttemptPerformer) private readonly performer: SignedAttemptPerformer,
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
  ) {}

  /** Sends one ping with the endpoint's secrets, scheme, header and payload shape; never throws on a failed send. */
  async send(endpoint: EndpointSnapshot): Promise<TestPing> {
    const deliveryId = randomUUID();
    const event: DomainEvent = {
      id: `test_${randomUUID()}`,
      type: TEST_EVENT_TYPE,
      workspaceId: endpoint.workspaceId,
      occurredAt: new Date().toISOString(),
      data: { message: 'This is a test event from Herald', endpointId: endpoint.id },
    };
    const body = renderPayload(endpoint.payloadProfile, event);
    const performed = await this.performer.perform(endpoint, {
      webhookId: deliveryId,
      attempt: 1,
      body,
      traceparent: null,
    });
    return {
      deliveryId,
      eventId: event.id,
      eventType: event.type,
      occurredAt: event.occurredAt,
      body,
      performed,
    };
  }

  /**
   * Writes the ping to the delivery log. Best effort: the ping was sent and its answer belongs to the
   * caller (a created endpoint's secret is shown only once), so a failed write is logged, not thrown.
   */
  async record(endpoint: { id: string; workspaceId: string }, ping: TestPing): Promise<void> {
    try {
      await this.producer.send([attemptRecordedRecord(testPingAttempt(ping, endpoint, randomUUID()))]);
    } catch (error) {
      this.log.warn(
        `test ping ${ping.deliveryId} of endpoint ${endpoint.id} is missing from the delivery log: ${(error as Error).message}`,
      );
    }
  }

  /** Drops the keys cached for an endpoint that was never stored (a failed verification). */
  forget(endpointId: string): void {
    this.performer.forget(endpointId);
  }
}
