export * from './render-payload';
