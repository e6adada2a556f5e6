export * from './secret.cipher';
export * from './master-key.env';
export * from './signing-secret.factory';
export * from './webhook.signer';
export * from './sealed-headers';
export * from './supplied-secret.policy';
