export * from './job-state';
export * from './job-time-limit.policy';
export * from './partition-range.plan';
export * from './request-chunks.plan';
export * from './purge-request.policy';
export * from './purge-batch.plan';
