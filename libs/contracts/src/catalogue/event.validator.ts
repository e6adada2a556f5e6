import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { DomainEvent } from '../events/domain-event.envelope';
import {
  DOMAIN_EVENT_ENVELOPE_SCHEMA,
  DEFAULT_EVENT_VERSION,
  EVENT_CATALOGUE,
  eventSchemaId,
  eventTypeVersions,
} from './event-catalogue';

export type EventValidation =
  | { ok: true; event: DomainEvent }
  | { ok: false; reason: 'schema_violation' | 'unknown_type' | 'unknown_version'; message: string };

/**
 * Checks a parsed domain event against the envelope and the data schema of the version it names
 * (`schemaVersion`, 1 when absent). Schemas are compiled once; build one validator per process.
 */
export class EventValidator {
  private readonly envelope: ValidateFunction;
  /** By type, then by version. */
  private readonly byType = new Map<string, Map<number, ValidateFunction>>();

  constructor() {
    const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
    addFormats(ajv, ['date-time', 'email', 'uri']);
    this.envelope = ajv.compile(DOMAIN_EVENT_ENVELOPE_SCHEMA);
    for (const entry of EVENT_CATALOGUE) {
      const versions = this.byType.get(entry.type) ?? new Map<number, ValidateFunction>();
      versions.set(
        entry.version,
        ajv.compile({ $id: eventSchemaId(entry.type, entry.version), ...entry.dataSchema }),
      );
      this.byType.set(entry.type, versions);
    }
  }

  validate(value: unknown): EventValidation {
    if (!this.envelope(value)) {
      return { ok: false, reason: 'schema_violation', message: describe(this.envelope.errors, 'event') };
    }
    const event = value as unknown as DomainEvent;
    const versions = this.byType.get(event.type);
    if (!versions) {
      return { ok: false, reason: 'unknown_type', message: `unknown event type "${truncate(event.type)}"` };
    }
    const version = event.schemaVersion ?? DEFAULT_EVENT_VERSION;
    const validateData = versions.get(version);
    if (!validateData) {
      return {
        ok: false,
        reason: 'unknown_version',
        message: `${event.type} has no schema version ${version} (catalogued: ${eventTypeVersions(event.type).join(', ')})`,
      };
    }
    if (!validateData(event.data)) {
      return {
        ok: false,
        reason: 'schema_violation',
        message: `${event.type} v${version}: ${describe(validateData.errors, 'data')}`,
      };
    }
    return { ok: true, event };
  }
}

function describe(errors: ErrorObject[] | null | undefined, root: string): string {
  const first = errors?.[0];
  if (!first) return `${root} is invalid`;
  const path = `${root}${first.instancePath.replace(/\//g, '.')}`;
  const detail =
    first.keyword === 'enum' ? `${first.message} (${JSON.stringify(first.params)})` : first.message;
  return `${path} ${detail ?? 'is invalid'}`;
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
