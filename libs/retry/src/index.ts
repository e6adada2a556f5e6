export * from './retry-tier.policy';
export * from './retry.env';
