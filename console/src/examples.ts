/** Example payloads for the event catalogue page, built from each type's JSON Schema. */
type Schema = Record<string, unknown>;

const SAMPLE_TIME = '2026-01-01T12:00:00.000Z';

/** A plausible value for a schema: its example, const, first enum value, or one built by type. */
export function exampleOf(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(variants) && variants.length) return exampleOf(variants[0], depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties)) out[name] = exampleOf(property, depth + 1);
      return out;
    }
    case 'array':
      return [exampleOf(schema.items as Schema | undefined, depth + 1)];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return SAMPLE_TIME;
      if (schema.format === 'uri') return 'https://example.com/file';
      if (schema.format === 'email') return 'someone@example.com';
      return 'string';
    default:
      return null;
  }
}

function pascalCase(type: string): string {
  return type
    .split(/[._-]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

export const PAYLOAD_PROFILES = ['herald', 'messagedesk', 'messages-dev', 'nexadesk'] as const;

/** The body each payload shape sends for an event, as libs/payloads renders it. */
export function examplePayload(profile: string, type: string, data: unknown): unknown {
  const id = 'evt_01JEXAMPLE';
  const workspaceId = 'ws_example';
  switch (profile) {
    case 'messagedesk':
      return {
        id,
        object: 'Event',
        name: pascalCase(type),
        workspaceId,
        createdAt: SAMPLE_TIME,
        dataType: pascalCase(type.split('.')[0]),
        data,
      };
    case 'messages-dev':
      return { event: type, data, timestamp: Date.parse(SAMPLE_TIME) };
    case 'nexadesk':
      return { event: type, timestamp: SAMPLE_TIME, workspace_id: workspaceId, data };
    default:
      return { id, type, workspaceId, occurredAt: SAMPLE_TIME, data };
  }
}
