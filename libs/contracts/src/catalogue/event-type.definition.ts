/** A JSON Schema (draft 2020-12 subset that ajv understands), kept as plain data. */
export type JsonSchema = Record<string, unknown>;

/** One event type and the schema its `data` must satisfy. */
export interface EventTypeDefinition {
  type: string;
  /** Bumped when `data`'s schema changes incompatibly; a new version sits beside the old one. */
  version: number;
  description: string;
  /** The schema of `data`. */
  dataSchema: JsonSchema;
}
