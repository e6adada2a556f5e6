import { z } from 'zod';
import { DEFAULT_DOMAIN_TOPICS } from '@herald/contracts';
import { envBool, envDuration, envInt, envList } from '@herald/config';

/** The router's settings; each has a safe default. */
export const routerEnv = z.object({
  /** Domain topics the router consumes. */
  HERALD_DOMAIN_TOPICS: envList(DEFAULT_DOMAIN_TOPICS),
  /** Larger domain records are dead-lettered as too_large (default 256 KiB). */
  HERALD_MAX_EVENT_BYTES: envInt(262_144, 1_024, 16_777_216),
  /** How long an event id is remembered per workspace to suppress duplicates. */
  HERALD_DEDUPE_WINDOW: envDuration('24h'),
  /** Upper bound of remembered event ids; the oldest are forgotten first (about 150 bytes each). */
  HERALD_DEDUPE_MAX_ENTRIES: envInt(1_000_000, 1_000, 100_000_000),
  /** Dead letters carry the original bytes up to this size (Kafka rejects larger records). */
  HERALD_MAX_DEAD_LETTER_BYTES: envInt(921_600, 1_024, 16_777_216),
  /** Output records per produce request; a larger fan-out is sent in several acknowledged requests. */
  HERALD_ROUTER_MAX_RECORDS_PER_SEND: envInt(10_000, 100, 1_000_000),
  /** Bytes per produce request; keeps each partition's record batch under Kafka's max.message.bytes (1 MB by default). */
  HERALD_ROUTER_MAX_BYTES_PER_SEND: envInt(900_000, 10_000, 100_000_000),
  /** Consumer-group session timeout; a router that dies unannounced is replaced after this long. */
  HERALD_ROUTER_SESSION_TIMEOUT: envDuration('30s'),
  /**
   * Partitions of the domain topics processed at once. kafkajs fetches again only once every batch
   * of its last fetch returned, so fewer slots than partitions with data make a fetch's batches
   * wait for each other; the batches are fetched either way, so more slots cost no memory.
   */
  HERALD_ROUTER_CONCURRENCY: envInt(16, 1, 64),
  /**
   * Whether the router gathers between small batches while busy (KAFKA_FETCH_GATHER_*). Off by
   * default: the router is the first hop, so every wait there adds to each event's latency, and a
   * router that is behind fetches full batches anyway (bench/README.md, "Fetch gathering off in the router").
   */
  HERALD_ROUTER_FETCH_GATHER: envBool(false),
  /**
   * Before matching a batch, the subscription index reads herald.subscriptions up to its high
   * watermark, so an endpoint the API acknowledged before the event was produced is matched.
   * `false` matches against whatever the index holds (only to measure what the wait costs).
   */
  HERALD_ROUTER_CATCH_UP: envBool(true),
  /** Longest that catch-up may take; a batch whose index cannot catch up is read again later. */
  HERALD_ROUTER_CATCH_UP_TIMEOUT: envDuration('5s').refine(
    (ms) => ms >= 100 && ms <= 60_000,
    'must be between 100ms and 60s',
  ),
});

export type RouterEnv = z.infer<typeof routerEnv>;

export const ROUTER_ENV = Symbol('ROUTER_ENV');
export const ROUTER_GROUP_ID = 'herald-router';
/** The handler pattern the domain topics are mapped to. */
export const DOMAIN_EVENTS_PATTERN = 'router.domain-events';
/** The handler pattern herald.operational is mapped to (operational events to subscribed endpoints). */
export const OPERATIONAL_EVENTS_PATTERN = 'router.operational-events';
