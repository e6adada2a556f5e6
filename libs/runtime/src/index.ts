export * from './service.env';
export * from './service-definition';
export * from './start-service';
export * from './run-main';
