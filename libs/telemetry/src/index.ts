export * from './observability.module';
export * from './readiness.registry';
export * from './log-redaction';
