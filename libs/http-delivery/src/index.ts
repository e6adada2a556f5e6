export * from './safe-lookup';
export * from './webhook.sender';
export * from './signed-attempt.performer';
export * from './user-agent';
