/**
 * The longest one HTTP attempt may take. The API refuses endpoint timeouts above it, every default
 * timeout setting is validated against it at start-up, and the sender enforces it: one bound, so an
 * accepted setting is never cut short silently.
 */
export const MAX_ATTEMPT_TIMEOUT_MS = 30_000;
