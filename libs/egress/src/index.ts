export * from './egress.policy';
