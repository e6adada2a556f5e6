export type InvalidEventReason =
  | 'invalid_json'
  | 'invalid_utf8'
  | 'schema_violation'
  | 'unknown_type'
  /** An operational type (Herald's own, `endpoint.*`, `delivery.*`) produced to a domain topic. */
  | 'reserved_type'
  /** The type is catalogued but not in the `schemaVersion` the event names. */
  | 'unknown_version'
  | 'too_large'
  | 'empty'
  /** Valid by its schema but could not be fanned out (e.g. a payload that cannot be re-encoded). */
  | 'unprocessable';

/** A rejected domain record on `herald.events.invalid`. The original bytes and headers travel as-is. */
export interface InvalidEventRecord {
  kind: 'InvalidEvent';
  reason: InvalidEventReason;
  message: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  rejectedAt: string;
}
