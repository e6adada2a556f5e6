/** Kafka topics Herald owns. Domain topics belong to the producing services and are configurable. */
export const Topics = {
  /** Compacted changelog of endpoint snapshots, keyed by endpoint id. */
  subscriptions: 'herald.subscriptions',
  /** One DeliveryRequested per (event, endpoint), keyed by endpoint id. */
  deliveries: 'herald.deliveries',
  /** Deliveries that exhausted their schedule. */
  deliveriesDead: 'herald.deliveries.dead',
  /** One AttemptRecorded per HTTP attempt, keyed by delivery id. */
  attempts: 'herald.attempts',
  /** Endpoint and delivery state changes: projected for operators, routed to subscribed endpoints. */
  operational: 'herald.operational',
  /** Domain events that failed validation, with their original bytes. */
  eventsInvalid: 'herald.events.invalid',
  /** Compacted record of event ids already fanned out, for duplicate suppression across restarts. */
  dedupe: 'herald.dedupe',
  /**
   * Compacted state of FIFO endpoints' lanes, one record per unresolved delivery keyed
   * `<endpoint id>/<seq>`, so a dispatcher taking over a partition keeps each endpoint's order.
   */
  fifo: 'herald.fifo',
  /**
   * Requests to change an endpoint that the hot path may not write itself (auto-disable), keyed by
   * endpoint id. The API applies each one through the same ordered path as its own edits.
   */
  endpointCommands: 'herald.endpoint-commands',
  /**
   * Compacted failure streak of each endpoint, keyed by endpoint id, written only by the dispatcher,
   * so a restart or a new partition owner keeps counting towards auto-disable.
   */
  endpointHealth: 'herald.endpoint-health',
} as const;

export type HeraldTopic = (typeof Topics)[keyof typeof Topics];

export const DEFAULT_DOMAIN_TOPICS = [
  'domain.messages',
  'domain.conversations',
  'domain.leads',
  'domain.contacts',
] as const;

export const RETRY_TOPIC_PREFIX = 'herald.retry.';

/** `5m` -> `herald.retry.5m`. The label is the canonical duration label of the tier's delay. */
export function retryTierTopic(delayLabel: string): string {
  return `${RETRY_TOPIC_PREFIX}${delayLabel}`;
}

export function isRetryTierTopic(topic: string): boolean {
  return topic.startsWith(RETRY_TOPIC_PREFIX);
}

/** Topics that are compacted rather than deleted by time. */
export const COMPACTED_TOPICS: readonly string[] = [
  Topics.subscriptions,
  Topics.dedupe,
  Topics.fifo,
  Topics.endpointHealth,
];
