export * from './product-profiles';
export * from './resolve-product-profile.policy';
