/**
 * The projector's statements. Each applies a whole batch in one round trip from typed arrays
 * (unnest), and every write is idempotent: a replayed or duplicate record changes nothing. The arrays
 * arrive in binary (pg-binary-array.ts); the casts name the element type the encoder must match.
 */

/** Requests: the delivery row (only rewritten when the record adds something) and its payload. */
export const UPSERT_REQUESTS = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::timestamptz[], $8::text[], $9::int[], $10::text[])
    AS r(delivery_id, created_at, workspace_id, endpoint_id, event_id, event_type, occurred_at, trigger,
      requested_attempt, payload)
),
upserted AS (
  INSERT INTO deliveries AS d (delivery_id, created_at, workspace_id, endpoint_id, event_id, event_type,
    occurred_at, trigger, max_requested_attempt)
  SELECT delivery_id, created_at, workspace_id, endpoint_id, event_id, event_type, occurred_at, trigger,
    requested_attempt
  FROM input ORDER BY delivery_id
  ON CONFLICT (delivery_id, created_at) DO UPDATE SET
    occurred_at = COALESCE(d.occurred_at, EXCLUDED.occurred_at),
    -- The request for attempt 1 names the trigger; later requests (retries) do not change it.
    trigger = CASE WHEN EXCLUDED.trigger IS NOT NULL AND (d.trigger IS NULL OR EXCLUDED.max_requested_attempt = 1)
      THEN EXCLUDED.trigger ELSE d.trigger END,
    max_requested_attempt = GREATEST(d.max_requested_attempt, EXCLUDED.max_requested_attempt),
    status = herald_delivery_status(d.any_success, d.attempt_count,
      GREATEST(d.max_requested_attempt, EXCLUDED.max_requested_attempt), d.last_attempt, d.last_outcome)
  WHERE d.max_requested_attempt < EXCLUDED.max_requested_attempt
    OR (d.occurred_at IS NULL AND EXCLUDED.occurred_at IS NOT NULL)
    OR (EXCLUDED.trigger IS NOT NULL AND d.trigger IS DISTINCT FROM EXCLUDED.trigger
        AND (d.trigger IS NULL OR EXCLUDED.max_requested_attempt = 1))
  RETURNING 1
)
-- A removed payload leaves a NULL row behind, so a replayed request cannot bring it back.
INSERT INTO delivery_payloads (delivery_id, created_at, payload)
SELECT delivery_id, created_at, payload FROM input WHERE payload IS NOT NULL ORDER BY delivery_id
ON CONFLICT DO NOTHING`;

/** The stored "last attempt" is replaced when the new one orders after it (DeliverySummary.last). */
const NEWER = `(d.last_attempt IS NULL OR (EXCLUDED.last_attempt, EXCLUDED.last_attempt_started_at,
  EXCLUDED.last_attempt_id) > (d.last_attempt, d.last_attempt_started_at, d.last_attempt_id))`;
const pick = (column: string): string => `CASE WHEN ${NEWER} THEN EXCLUDED.${column} ELSE d.${column} END`;

/**
 * Attempts: insert them, and merge only the newly inserted ones into their delivery's summary
 * (mergeSummaries in libs/delivery), making a placeholder row when the request is not projected yet.
 * Response bodies go to attempt_bodies unless the delivery was purged.
 */
export const INSERT_ATTEMPTS = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::int[], $9::timestamptz[], $10::int[], $11::jsonb[], $12::int[], $13::boolean[],
    $14::jsonb[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::timestamptz[],
    $21::text[], $22::timestamptz[], $23::text[])
    AS r(delivery_id, delivery_created_at, attempt_id, workspace_id, endpoint_id, event_id, event_type,
      attempt, started_at, duration_ms, request, response_status, response_body_truncated, response_headers,
      response_body, remote_ip, error_class, error_message, outcome, next_attempt_at, trace_id,
      test_occurred_at, test_payload)
),
inserted AS (
  INSERT INTO attempts (delivery_id, delivery_created_at, attempt_id, workspace_id, endpoint_id, event_id,
    event_type, attempt, started_at, duration_ms, request, response_status, response_body_truncated, remote_ip,
    error_class, error_message, outcome, next_attempt_at, trace_id)
  SELECT delivery_id, delivery_created_at, attempt_id, workspace_id, endpoint_id, event_id, event_type, attempt,
    started_at, duration_ms, request, response_status, response_body_truncated, remote_ip, error_class,
    error_message, outcome, next_attempt_at, trace_id
  FROM input ORDER BY delivery_id, attempt_id
  ON CONFLICT DO NOTHING
  RETURNING delivery_id, delivery_created_at, attempt_id, attempt, started_at, outcome, response_status,
    next_attempt_at
),
fresh AS (
  SELECT delivery_id, delivery_created_at, count(*)::int AS attempt_count,
    bool_or(outcome = 'succeeded') AS any_success, max(started_at) AS last_attempt_at,
    (array_agg(attempt ORDER BY attempt DESC, started_at DESC, attempt_id DESC))[1] AS last_attempt,
    (array_agg(started_at ORDER BY attempt DESC, started_at DESC, attempt_id DESC))[1] AS last_attempt_started_at,
    (array_agg(attempt_id ORDER BY attempt DESC, started_at DESC, attempt_id DESC))[1] AS last_attempt_id,
    (array_agg(outcome ORDER BY attempt DESC, started_at DESC, attempt_id DESC))[1] AS last_outcome,
    (array_agg(response_status ORDER BY attempt DESC, started_at DESC, attempt_id DESC))[1] AS last_response_status,
    (array_agg(next_attempt_at ORDER BY attempt DESC, started_at DESC, attempt_id DESC))[1] AS last_next_attempt_at
  FROM inserted GROUP BY delivery_id, delivery_created_at
),
-- What a placeholder row needs; a test ping has no request, so its attempt carries the rest.
info AS (
  SELECT DISTINCT ON (delivery_id, delivery_created_at) delivery_id, delivery_created_at, workspace_id,
    endpoint_id, event_id, event_type, test_occurred_at, test_payload, attempt
  FROM input ORDER BY delivery_id, delivery_created_at, (test_payload IS NULL), attempt DESC
),
upserted AS (
  INSERT INTO deliveries AS d (delivery_id, created_at, workspace_id, endpoint_id, event_id, event_type,
    occurred_at, trigger, max_requested_attempt, status, attempt_count, any_success, last_attempt,
    last_attempt_started_at, last_attempt_id, last_outcome, last_response_status, last_next_attempt_at,
    last_attempt_at)
  SELECT f.delivery_id, f.delivery_created_at, i.workspace_id, i.endpoint_id, i.event_id, i.event_type,
    i.test_occurred_at, CASE WHEN i.test_payload IS NOT NULL THEN $24 END,
    CASE WHEN i.test_payload IS NOT NULL THEN i.attempt ELSE 0 END,
    herald_delivery_status(f.any_success, f.attempt_count,
      CASE WHEN i.test_payload IS NOT NULL THEN i.attempt ELSE 0 END, f.last_attempt, f.last_outcome),
    f.attempt_count, f.any_success, f.last_attempt, f.last_attempt_started_at, f.last_attempt_id, f.last_outcome,
    f.last_response_status, f.last_next_attempt_at, f.last_attempt_at
  FROM fresh f JOIN info i USING (delivery_id, delivery_created_at)
  ORDER BY f.delivery_id
  ON CONFLICT (delivery_id, created_at) DO UPDATE SET
    occurred_at = COALESCE(d.occurred_at, EXCLUDED.occurred_at),
    trigger = COALESCE(d.trigger, EXCLUDED.trigger),
    max_requested_attempt = GREATEST(d.max_requested_attempt, EXCLUDED.max_requested_attempt),
    attempt_count = d.attempt_count + EXCLUDED.attempt_count,
    any_success = d.any_success OR EXCLUDED.any_success,
    last_attempt_at = GREATEST(d.last_attempt_at, EXCLUDED.last_attempt_at),
    last_attempt = ${pick('last_attempt')},
    last_attempt_started_at = ${pick('last_attempt_started_at')},
    last_attempt_id = ${pick('last_attempt_id')},
    last_outcome = ${pick('last_outcome')},
    last_response_status = ${pick('last_response_status')},
    last_next_attempt_at = ${pick('last_next_attempt_at')},
    status = herald_delivery_status(d.any_success OR EXCLUDED.any_success, d.attempt_count + EXCLUDED.attempt_count,
      GREATEST(d.max_requested_attempt, EXCLUDED.max_requested_attempt), ${pick('last_attempt')},
      ${pick('last_outcome')})
  RETURNING d.delivery_id, d.created_at, d.payload_removed_reason
),
bodies AS (
  INSERT INTO attempt_bodies (delivery_id, delivery_created_at, attempt_id, headers, body)
  SELECT i.delivery_id, i.delivery_created_at, i.attempt_id, i.response_headers, i.response_body
  FROM inserted n
  JOIN input i USING (delivery_id, delivery_created_at, attempt_id)
  JOIN upserted u ON u.delivery_id = n.delivery_id AND u.created_at = n.delivery_created_at
  WHERE i.response_status IS NOT NULL AND u.payload_removed_reason IS DISTINCT FROM 'purged'
  ORDER BY i.delivery_id, i.attempt_id
  ON CONFLICT DO NOTHING
)
INSERT INTO delivery_payloads (delivery_id, created_at, payload)
SELECT delivery_id, delivery_created_at, test_payload FROM info WHERE test_payload IS NOT NULL
ORDER BY delivery_id
ON CONFLICT DO NOTHING`;

export const INSERT_OPERATIONAL_EVENTS = `
INSERT INTO operational_events (id, at, workspace_id, endpoint_id, delivery_id, type, reason)
SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
ORDER BY 1
ON CONFLICT DO NOTHING`;
