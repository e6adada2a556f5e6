import type { DeliveryRequested, EndpointSnapshot } from '@herald/contracts';
import { failedSend, type PerformedAttempt, type SignedAttemptPerformer } from '@herald/http-delivery';
import { endHttpClientSpan, injectTraceparent, startHttpClientSpan } from '@herald/telemetry';
import { fallbackTraceparent } from './attempt-traceparent';

/** An attempt with the traceparent sent to the receiver. */
export type SentAttempt = PerformedAttempt & { traceparent: string };

/**
 * One signed HTTP attempt inside its client span. Signing failures (no active secret, or no master
 * key opens it) come back as a failed attempt, retried so an operator can fix the key without losing
 * the delivery.
 */
export async function sendSignedAttempt(
  performer: Pick<SignedAttemptPerformer, 'perform'>,
  endpoint: EndpointSnapshot,
  delivery: DeliveryRequested,
  origin: string | undefined,
  defaultTimeoutMs: number,
): Promise<SentAttempt> {
  const http = startHttpClientSpan({ method: 'POST', url: endpoint.url, resendCount: delivery.attempt - 1 });
  const traceparent = injectTraceparent(http) ?? fallbackTraceparent(origin);
  try {
    const performed = await performer.perform(endpoint, {
      webhookId: delivery.deliveryId,
      attempt: delivery.attempt,
      body: delivery.payload,
      traceparent,
      timeoutMs: endpoint.timeoutMs > 0 ? endpoint.timeoutMs : defaultTimeoutMs,
    });
    const { status, errorClass, errorMessage } = performed.result;
    endHttpClientSpan(http, {
      statusCode: status,
      errorType: errorClass,
      message: errorMessage ?? undefined,
    });
    return { ...performed, traceparent };
  } catch (error) {
    const message = `could not sign: ${(error as Error).message}`;
    endHttpClientSpan(http, { errorType: 'signing', message });
    return {
      traceparent,
      startedAt: new Date().toISOString(),
      request: { url: endpoint.url, method: 'POST', headers: {} },
      result: failedSend('unknown', message),
    };
  }
}
