export * from './render-payload';
export * from './delivery-id';
