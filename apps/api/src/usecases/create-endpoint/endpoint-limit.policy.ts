import { DomainError, ErrorCode } from '@herald/contracts';

/**
 * Whether a workspace that has `existing` endpoints may create one more, under its limit of `max`;
 * the refusal (422 ENDPOINT_LIMIT_REACHED) names the limit, or null when it may.
 */
export function endpointLimitRefusal(existing: number, max: number): DomainError | null {
  if (existing < max) return null;
  return new DomainError(
    ErrorCode.EndpointLimitReached,
    `this workspace has ${existing} endpoints and its limit is ${max}; delete one before creating another`,
    { limit: max },
  );
}
