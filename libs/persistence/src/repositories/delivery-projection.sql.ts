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
    max_requested_attempt = GREATEST(d.max_requested_attempt, EXCLUDED.max_requested_attempt)
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

/**
 * Attempts: an append. The delivery's status, count and last attempt are derived when read (the view
 * delivery_log, migration 1764900000000), so no delivery row is rewritten here. A delivery whose
 * request is not projected yet (or a test ping, which has none) gets a placeholder row; the request
 * fills it in later. Response bodies go to attempt_bodies unless the delivery was purged.
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
  RETURNING delivery_id, delivery_created_at, attempt_id
),
-- What a placeholder row needs; a test ping has no request, so its attempt carries the rest.
info AS (
  SELECT DISTINCT ON (delivery_id, delivery_created_at) delivery_id, delivery_created_at, workspace_id,
    endpoint_id, event_id, event_type, test_occurred_at, test_payload, attempt
  FROM input ORDER BY delivery_id, delivery_created_at, (test_payload IS NULL), attempt DESC
),
-- Every delivery the new attempts belong to goes through the conflict check, which routes each row to
-- the one partition its creation time names (a join or a lookup would open every partition: a fixed
-- cost per statement that grows with retention). A missing row is inserted as a placeholder. An
-- existing one is locked, in id order (the purge's lock order, so the two cannot deadlock), and left
-- as it is, unless it was purged: then a no-op update returns it, so its bodies are not stored. The
-- lock orders this statement against a purge (FOR UPDATE): either it waits and sees the purge, or the
-- purge waits and then deletes the bodies stored here.
placeholders AS (
  INSERT INTO deliveries AS d (delivery_id, created_at, workspace_id, endpoint_id, event_id, event_type,
    occurred_at, trigger, max_requested_attempt)
  SELECT i.delivery_id, i.delivery_created_at, i.workspace_id, i.endpoint_id, i.event_id, i.event_type,
    i.test_occurred_at, CASE WHEN i.test_payload IS NOT NULL THEN $24 END,
    CASE WHEN i.test_payload IS NOT NULL THEN i.attempt ELSE 0 END
  FROM info i
  WHERE (i.delivery_id, i.delivery_created_at) IN (SELECT delivery_id, delivery_created_at FROM inserted)
  ORDER BY i.delivery_id
  ON CONFLICT (delivery_id, created_at) DO UPDATE SET payload_removed_reason = d.payload_removed_reason
    WHERE d.payload_removed_reason = 'purged'
  RETURNING d.delivery_id, d.created_at AS delivery_created_at, d.payload_removed_reason
),
bodies AS (
  INSERT INTO attempt_bodies (delivery_id, delivery_created_at, attempt_id, headers, body)
  SELECT i.delivery_id, i.delivery_created_at, i.attempt_id, i.response_headers, i.response_body
  FROM inserted n
  JOIN input i USING (delivery_id, delivery_created_at, attempt_id)
  WHERE i.response_status IS NOT NULL AND NOT EXISTS (SELECT 1 FROM placeholders p
    WHERE p.delivery_id = n.delivery_id AND p.delivery_created_at = n.delivery_created_at
      AND p.payload_removed_reason = 'purged')
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
