export * from './response.classifier';
export * from './circuit.breaker';
export * from './endpoint.limiter';
export * from './failure.tracker';
export * from './request-headers';
export * from './fifo-lane';
