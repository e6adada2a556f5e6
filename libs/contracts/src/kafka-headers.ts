/** Kafka header names Herald reads and writes on its own topics. */
export const KafkaHeaders = {
  /** W3C trace context of whoever produced this record (instrumentation may overwrite it). */
  traceparent: 'traceparent',
  /** The producing service's trace context, copied unchanged through every retry. */
  originTraceparent: 'herald-origin-traceparent',
  /** Trace context of the previous attempt's span, for span links. */
  previousAttemptTraceparent: 'herald-previous-attempt-traceparent',
  /** Epoch milliseconds when a retry record becomes due. */
  dueAt: 'herald-due-at',
  /** Why a record was dead-lettered or rejected. */
  reasonCode: 'herald-reason-code',
  /** On `herald.events.invalid`: the InvalidEventRecord (reason, message, source) as JSON. */
  invalidEvent: 'herald-invalid-event',
  /**
   * A FIFO delivery's place in its endpoint's order (offset of its first appearance on
   * `herald.deliveries`), kept on retried, deferred and parked records so it never loses its turn.
   */
  fifoSeq: 'herald-fifo-seq',
  /** On `herald.fifo`: the dispatcher process that wrote the record, which skips its own when reading. */
  fifoWriter: 'herald-fifo-writer',
  /**
   * On `herald.deliveries`: the endpoint snapshot version the router matched the event against; the
   * dispatcher reads herald.subscriptions up to it before judging the endpoint.
   */
  endpointVersion: 'herald-endpoint-version',
  /** On `herald.endpoint-health`: the dispatcher process that wrote the record, which skips its own. */
  healthWriter: 'herald-health-writer',
} as const;
