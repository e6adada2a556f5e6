import type { JsonSchema } from './event-type.definition';

export const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
export const optionalText: JsonSchema = { type: ['string', 'null'] };
export const timestamp: JsonSchema = { type: 'string', format: 'date-time' };

/** Identifying fields required, everything else optional and open (producers add fields freely). */
export function objectSchema(required: string[], properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', required, properties, additionalProperties: true };
}
