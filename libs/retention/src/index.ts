export * from './retention.env';
export * from './retention.policy';
