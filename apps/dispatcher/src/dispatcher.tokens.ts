/** Injection tokens of the dispatcher's plain-class collaborators. */
export const RETRY_ENV = Symbol('RETRY_ENV');
export const EGRESS_POLICY = Symbol('EGRESS_POLICY');
export const DELIVERY_OUTPUT = Symbol('DELIVERY_OUTPUT');
