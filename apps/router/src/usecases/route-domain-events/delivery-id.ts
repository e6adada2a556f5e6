// Moved to @herald/payloads; kept so existing imports of this path still build.
export { deliveryIdFor } from '@herald/payloads';
