export * from './retention.env';
export * from './retention.policy';
export * from './body-removal.rule';
export * from './partition-maintenance.planner';
export * from './replay-horizon.rule';
