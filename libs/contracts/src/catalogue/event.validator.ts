import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { DomainEvent } from '../events/domain-event.envelope';
import {
  DOMAIN_EVENT_ENVELOPE_SCHEMA,
  EVENT_CATALOGUE,
  eventSchemaId,
  findEventType,
} from './event-catalogue';

export type EventValidation =
  | { ok: true; event: DomainEvent }
  | { ok: false; reason: 'schema_violation' | 'unknown_type'; message: string };

/**
 * Checks a parsed domain event against the envelope and its type's data schema. Schemas are compiled
 * once; build one validator per process and reuse it.
 */
export class EventValidator {
  private readonly envelope: ValidateFunction;
  private readonly byType = new Map<string, ValidateFunction>();

  constructor() {
    const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
    addFormats(ajv, ['date-time', 'email', 'uri']);
    this.envelope = ajv.compile(DOMAIN_EVENT_ENVELOPE_SCHEMA);
    for (const entry of EVENT_CATALOGUE) {
      const latest = findEventType(entry.type);
      if (latest !== entry) continue;
      this.byType.set(
        entry.type,
        ajv.compile({ $id: eventSchemaId(entry.type, entry.version), ...entry.dataSchema }),
      );
    }
  }

  validate(value: unknown): EventValidation {
    if (!this.envelope(value)) {
      return { ok: false, reason: 'schema_violation', message: describe(this.envelope.errors, 'event') };
    }
    const event = value as unknown as DomainEvent;
    const validateData = this.byType.get(event.type);
    if (!validateData) {
      return { ok: false, reason: 'unknown_type', message: `unknown event type "${truncate(event.type)}"` };
    }
    if (!validateData(event.data)) {
      return {
        ok: false,
        reason: 'schema_violation',
        message: `${event.type}: ${describe(validateData.errors, 'data')}`,
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
