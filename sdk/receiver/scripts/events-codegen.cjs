/* global module */
// Turns Herald's event catalogue (libs/contracts: every type, every version, each with the JSON
// Schema of its `data`) into the SDK's src/generated files: TypeScript types per event and payload
// profile, and the schemas as data for the SDK's small validator. Pure: catalogue in, sources out.
'use strict';

const HEADER =
  "// Generated from Herald's event catalogue (libs/contracts) by sdk/receiver/scripts/events-codegen.cjs\n// during `npm run build`; do not edit. A spec fails when this file and the catalogue differ.\n";

/** Keywords the SDK's validator implements; anything else in a schema stops the build. */
const SUPPORTED = new Set([
  '$id',
  'description',
  'type',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'enum',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'format',
]);
const FORMATS = new Set(['date-time']);

function checkKeywords(schema, where) {
  for (const [key, value] of Object.entries(schema)) {
    if (!SUPPORTED.has(key))
      throw new Error(`${where}: JSON Schema keyword "${key}" is not supported by the SDK validator`);
    if (key === 'format' && !FORMATS.has(value))
      throw new Error(`${where}: format "${value}" is not supported`);
    if (key === 'properties')
      for (const [name, sub] of Object.entries(value)) checkKeywords(sub, `${where}.${name}`);
    if (key === 'items') checkKeywords(value, `${where}[]`);
    if (key === 'additionalProperties' && typeof value !== 'boolean')
      throw new Error(`${where}: additionalProperties must be true or false`);
  }
}

function pascal(text) {
  return text
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function literal(value) {
  return JSON.stringify(value);
}

function propertyName(name) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name);
}

/** A schema as a TypeScript type; objects open to extra fields when the schema allows them. */
function toType(schema, indent) {
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return 'unknown';
  return types
    .map((type) => {
      switch (type) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array': {
          const item = schema.items ? toType(schema.items, indent) : 'unknown';
          return /[|&\s]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
        }
        case 'object':
          return objectType(schema, indent);
        default:
          throw new Error(`unknown JSON Schema type ${type}`);
      }
    })
    .join(' | ');
}

function objectType(schema, indent) {
  const inner = indent + '  ';
  const required = new Set(schema.required || []);
  const lines = Object.entries(schema.properties || {}).map(
    ([name, sub]) => `${inner}${propertyName(name)}${required.has(name) ? '' : '?'}: ${toType(sub, inner)};`,
  );
  if (schema.additionalProperties !== false) lines.push(`${inner}[field: string]: unknown;`);
  return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
}

/**
 * @param {{ catalogue: {type: string, version: number, description: string, dataSchema: object}[], envelope: object }} input
 * @returns {{ types: string, schemas: string }}
 */
function generateEvents({ catalogue, envelope }) {
  checkKeywords(envelope, 'envelope');
  const entries = [...catalogue].sort((a, b) => a.type.localeCompare(b.type) || a.version - b.version);
  const byType = new Map();
  for (const entry of entries) {
    checkKeywords(entry.dataSchema, `${entry.type} v${entry.version}`);
    if (!byType.has(entry.type)) byType.set(entry.type, []);
    byType.get(entry.type).push(entry);
  }
  const dataName = (entry) => `${pascal(entry.type)}V${entry.version}Data`;
  const out = [HEADER];
  for (const entry of entries) {
    out.push(`/** ${entry.type} v${entry.version}: ${entry.description}. */`);
    out.push(`export type ${dataName(entry)} = ${toType(entry.dataSchema, '')};\n`);
  }
  out.push('/** Every catalogued type and version, to its `data` type. */');
  out.push('export interface EventDataByType {');
  for (const [type, versions] of byType)
    out.push(`  ${literal(type)}: { ${versions.map((v) => `${v.version}: ${dataName(v)}`).join('; ')} };`);
  out.push('}\n');
  out.push('export type EventType = keyof EventDataByType;\n');
  out.push('/** The newest catalogued version of each type. */');
  out.push('export interface LatestEventVersion {');
  for (const [type, versions] of byType)
    out.push(`  ${literal(type)}: ${versions[versions.length - 1].version};`);
  out.push('}\n');
  out.push(`export const EVENT_TYPES = [${[...byType.keys()].map(literal).join(', ')}] as const;\n`);

  // A version is named in the body when it is not 1 (or the endpoint is pinned): 1 may go unnamed.
  const versionField = (name, version) => (version === 1 ? `${name}?: 1` : `${name}: ${version}`);
  const union = (render) => entries.map((entry) => `  | ${render(entry)}`).join('\n');
  out.push("/** A body in Herald's own `herald` payload profile (the default). */");
  out.push('export type HeraldEvent =');
  out.push(
    union(
      (e) =>
        `{ id: string; type: ${literal(e.type)}; workspaceId: string; occurredAt: string; ${versionField('schemaVersion', e.version)}; data: ${dataName(e)} }`,
    ) + ';\n',
  );
  out.push("/** A body in the `messagedesk` payload profile (MessageDesk's Event object). */");
  out.push('export type MessageDeskEvent =');
  out.push(
    union(
      (e) =>
        `{ id: string; object: 'Event'; name: ${literal(pascal(e.type))}; workspaceId: string; createdAt: string; dataType: ${literal(pascal(e.type.split('.')[0]))}; ${versionField('schemaVersion', e.version)}; data: ${dataName(e)} }`,
    ) + ';\n',
  );
  out.push('/** A body in the `messages-dev` payload profile; `timestamp` is epoch milliseconds. */');
  out.push('export type MessagesDevEvent =');
  out.push(
    union(
      (e) =>
        `{ event: ${literal(e.type)}; ${versionField('schema_version', e.version)}; data: ${dataName(e)}; timestamp: number }`,
    ) + ';\n',
  );
  out.push('/** A body in the `nexadesk` payload profile; `timestamp` is ISO-8601. */');
  out.push('export type NexaDeskEvent =');
  out.push(
    union(
      (e) =>
        `{ event: ${literal(e.type)}; timestamp: string; workspace_id: string; ${versionField('schema_version', e.version)}; data: ${dataName(e)} }`,
    ) + ';\n',
  );

  const data = {};
  for (const [type, versions] of byType)
    data[type] = Object.fromEntries(versions.map((v) => [v.version, v.dataSchema]));
  const schemas = [
    HEADER,
    "import type { JsonSchema } from '../validate.js';\n",
    "/** The envelope of Herald's events (the `herald` payload profile's top level). */",
    `export const ENVELOPE_SCHEMA: JsonSchema = ${JSON.stringify(envelope, null, 2)};\n`,
    "/** Each type's `data` schema by version. */",
    `export const DATA_SCHEMAS: Readonly<Record<string, Readonly<Record<number, JsonSchema>>>> = ${JSON.stringify(data, null, 2)};\n`,
  ].join('\n');
  return { types: out.join('\n'), schemas };
}

module.exports = { generateEvents, SUPPORTED };

/** The files under src/generated, as written (not run through Prettier: lint skips generated code). */
async function renderGenerated(input) {
  const { types, schemas } = generateEvents(input);
  return { 'events.ts': types, 'schemas.ts': schemas };
}

module.exports.renderGenerated = renderGenerated;
