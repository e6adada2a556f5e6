/** What product services produce to the domain topics. `data` is checked against the type's schema. */
export interface DomainEvent<TData = Record<string, unknown>> {
  id: string;
  type: string;
  workspaceId: string;
  /** ISO-8601 */
  occurredAt: string;
  /** The catalogue version `data` follows (GET /v1/event-types); absent means 1. */
  schemaVersion?: number;
  data: TData;
}
