/** Injection tokens of the dispatcher's plain-class collaborators. */
export const RETRY_ENV = Symbol('RETRY_ENV');
export const EGRESS_POLICY = Symbol('EGRESS_POLICY');
export const DELIVERY_OUTPUT = Symbol('DELIVERY_OUTPUT');
/** This process's id on the changelog records it writes (`herald.fifo`, `herald.endpoint-health`). */
export const PROCESS_WRITER_ID = Symbol('PROCESS_WRITER_ID');
