import { randomUUID } from 'node:crypto';
import { domainTopicFor, eventFamily, type DomainEvent, type EventValidation } from '@herald/contracts';
import { CliError, ExitCode } from '../output/exit-codes';

export interface EventDraft {
  type: string;
  data: unknown;
  workspaceId: string;
  id?: string;
  schemaVersion?: number;
  occurredAt?: string;
  topic?: string;
}

/** The envelope product services produce, around the data given. */
export function buildDomainEvent(draft: EventDraft, now: Date): Record<string, unknown> {
  const event: Record<string, unknown> = {
    id: draft.id ?? randomUUID(),
    type: draft.type,
    workspaceId: draft.workspaceId,
    occurredAt: draft.occurredAt ?? now.toISOString(),
    data: draft.data,
  };
  if (draft.schemaVersion !== undefined) event.schemaVersion = draft.schemaVersion;
  return event;
}

/** The topic to produce to: `--topic` when given, else the type's domain topic. */
export function topicForDraft(draft: Pick<EventDraft, 'type' | 'topic'>): string {
  if (eventFamily(draft.type) === 'operational') {
    throw new CliError(
      `"${draft.type}" is an operational event type: Herald emits it, producers cannot send it`,
      ExitCode.Usage,
    );
  }
  if (draft.topic) return draft.topic;
  const topic = domainTopicFor(draft.type);
  if (!topic) {
    throw new CliError(`no domain topic for "${draft.type}"; pass --topic`, ExitCode.Usage);
  }
  return topic;
}

/** A refusal by the catalogue, as the CLI reports it (nothing is produced then). */
export function acceptedEvent(validation: EventValidation): DomainEvent {
  if (validation.ok) return validation.event;
  throw new CliError(`event refused (${validation.reason}): ${validation.message}`, ExitCode.Failed);
}
