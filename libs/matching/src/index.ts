export * from './event-type-pattern';
export * from './payload-filter';
export * from './subscription-index';
export * from './filter-regex';
export * from './line-scope';
export * from './operational-loop.guard';
