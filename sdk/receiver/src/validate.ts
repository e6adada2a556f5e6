import { WebhookVerificationError } from './errors.js';
import type { HeraldEvent, MessageDeskEvent, MessagesDevEvent, NexaDeskEvent } from './generated/events.js';
import { DATA_SCHEMAS, ENVELOPE_SCHEMA } from './generated/schemas.js';

/**
 * The JSON Schema subset Herald's catalogue uses (type, required, properties, additionalProperties,
 * items, enum, min/maxLength, minimum/maximum, format date-time); the generator refuses any other
 * keyword, so a schema this validator would only half-check never ships.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems found, each as `path: what is wrong`; empty when the value fits. */
export function schemaProblems(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const problems: string[] = [];
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  const actual = typeOf(value);
  if (types.length && !types.some((t) => t === actual || (t === 'number' && actual === 'integer')))
    return [`${path}: expected ${types.join(' or ')}, got ${actual}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${path}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength)
      problems.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength)
      problems.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.format === 'date-time' && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))))
      problems.push(`${path}: not an RFC 3339 date-time`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      problems.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) =>
      problems.push(...schemaProblems(schema.items as JsonSchema, item, `${path}[${i}]`)),
    );
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[])
      if (!(name in record)) problems.push(`${path}.${name}: required`);
    for (const [name, item] of Object.entries(record)) {
      if (properties[name]) problems.push(...schemaProblems(properties[name], item, `${path}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${name}: not allowed`);
    }
  }
  return problems;
}

export type PayloadProfile = 'herald' | 'messagedesk' | 'messages-dev' | 'nexadesk';

interface ProfileEvent {
  herald: HeraldEvent;
  messagedesk: MessageDeskEvent;
  'messages-dev': MessagesDevEvent;
  nexadesk: NexaDeskEvent;
}

export interface ValidateOptions<P extends PayloadProfile> {
  /** The endpoint's payload profile; default 'herald'. */
  profile?: P;
  /**
   * A type or version this SDK build does not know (Herald's catalogue is newer): 'accept' (default)
   * checks only the envelope, 'reject' refuses it.
   */
  unknownTypes?: 'accept' | 'reject';
}

const PROFILE_FIELDS: Record<PayloadProfile, { type: string; version: string }> = {
  herald: { type: 'type', version: 'schemaVersion' },
  messagedesk: { type: 'name', version: 'schemaVersion' },
  'messages-dev': { type: 'event', version: 'schema_version' },
  nexadesk: { type: 'event', version: 'schema_version' },
};

const pascal = (type: string) =>
  type
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/**
 * Checks a verified payload against the catalogue's schema for its type and version and returns it
 * typed; INVALID_PAYLOAD lists what does not fit. Optional: verification never depends on it.
 */
export function validateEvent<P extends PayloadProfile = 'herald'>(
  payload: unknown,
  options: ValidateOptions<P> = {},
): ProfileEvent[P] {
  const profile = options.profile ?? 'herald';
  const fields = PROFILE_FIELDS[profile];
  const invalid = (problems: string[]) =>
    new WebhookVerificationError(
      'INVALID_PAYLOAD',
      `the payload does not fit its schema: ${problems.join('; ')}`,
    );
  if (typeOf(payload) !== 'object') throw invalid([`$: expected object, got ${typeOf(payload)}`]);
  const record = payload as Record<string, unknown>;
  if (profile === 'herald') {
    const problems = schemaProblems(ENVELOPE_SCHEMA, payload);
    if (problems.length) throw invalid(problems);
  } else if (typeof record[fields.type] !== 'string' || typeOf(record.data) !== 'object') {
    throw invalid([`$: a ${profile} payload has a string "${fields.type}" and an object "data"`]);
  }
  const named = record[fields.type] as string;
  const type =
    profile === 'messagedesk' ? (Object.keys(DATA_SCHEMAS).find((t) => pascal(t) === named) ?? named) : named;
  const version = record[fields.version] === undefined ? 1 : record[fields.version];
  const schema = typeof version === 'number' ? DATA_SCHEMAS[type]?.[version] : undefined;
  if (!schema) {
    if (options.unknownTypes === 'reject')
      throw invalid([`$: ${named} v${String(version)} is not in this SDK's catalogue`]);
    return payload as ProfileEvent[P];
  }
  const problems = schemaProblems(schema, record.data, '$.data');
  if (problems.length) throw invalid(problems);
  return payload as ProfileEvent[P];
}
