export * from './egress.policy';
export * from './workspace-allowlist.policy';
export { metadataClass, parseAddress } from './address-class';
