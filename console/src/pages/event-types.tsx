import { useState } from 'preact/hooks';
import { eventTypesApi } from '../api/event-types';
import type { EventType } from '../api/types';
import { ErrorLine, Field, Json, PageTitle, useLoad } from '../components/ui';
import { exampleOf, examplePayload, PAYLOAD_PROFILES } from '../examples';

function EventTypeEntry({ entry }: { entry: EventType }) {
  const [profile, setProfile] = useState<string>('herald');
  const example = entry.examples?.[profile] ?? examplePayload(profile, entry.type, exampleOf(entry.schema));
  const id = `type-${entry.type.replace(/\W/g, '-')}-${entry.version}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>
        {entry.type} <span class="muted">v{entry.version}</span>
      </h2>
      <p>{entry.description}</p>
      <details>
        <summary>Schema of data</summary>
        <Json value={entry.schema} label={`${entry.type} schema`} />
      </details>
      <details>
        <summary>Example payload</summary>
        <Field label="Payload shape">
          <select value={profile} onChange={(e) => setProfile(e.currentTarget.value)}>
            {PAYLOAD_PROFILES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </Field>
        <Json value={example} label={`${entry.type} example in the ${profile} shape`} />
      </details>
    </section>
  );
}

/** The event catalogue: every type, its schema and what each payload shape sends. */
export function EventTypesPage() {
  const types = useLoad(() => eventTypesApi.list(), []);
  const [filter, setFilter] = useState('');
  const shown = (types.data?.data ?? []).filter((t) => t.type.includes(filter.trim()));
  return (
    <>
      <PageTitle>Event types</PageTitle>
      <Field label="Filter types">
        <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </Field>
      <ErrorLine error={types.error} />
      {shown.map((entry) => (
        <EventTypeEntry key={`${entry.type}@${entry.version}`} entry={entry} />
      ))}
    </>
  );
}
