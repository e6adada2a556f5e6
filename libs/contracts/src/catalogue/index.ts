export * from './event-type.definition';
export * from './event-catalogue';
export * from './event.validator';
export * from './guddesk-event-names';
export * from './event-version.policy';
export * from './domain-topic.policy';
