import { KafkaHeaders } from '../kafka-headers';
import { Topics } from '../topics';
import { copyHeaders, headerText, type HeraldRecord, type ReadHeaders } from './herald-record';

/** Why a delivery went to `herald.deliveries.dead`, in its `herald-reason-code` header. */
export const DeadLetterReason = {
  invalidRecord: 'invalid_record',
  endpointNotFound: 'endpoint_not_found',
  endpointDisabled: 'endpoint_disabled',
  endpointGone: 'endpoint_gone',
  exhausted: 'exhausted',
} as const;

export type DeadLetterReasonCode = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

const REASONS = new Set<string>(Object.values(DeadLetterReason));

/** The delivery record as it was read (bytes and headers), with the reason code added. */
export function deadLetterRecord(input: {
  key: string | null;
  value: Buffer | string | null;
  headers: ReadHeaders | undefined;
  reason: DeadLetterReasonCode;
}): HeraldRecord {
  const headers = copyHeaders(input.headers);
  headers[KafkaHeaders.reasonCode] = input.reason;
  return { topic: Topics.deliveriesDead, key: input.key, value: input.value, headers };
}

/** The reason code of a dead letter, or undefined when it carries none Herald knows. */
export function deadLetterReasonOf(headers: ReadHeaders | undefined): DeadLetterReasonCode | undefined {
  const code = headerText(headers, KafkaHeaders.reasonCode);
  return code !== undefined && REASONS.has(code) ? (code as DeadLetterReasonCode) : undefined;
}
