import type { IHeaders } from 'kafkajs';

/** One domain record as read from Kafka. */
export interface DomainRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  offset: string;
  /** The record's Kafka timestamp (epoch ms): its deliveries' `createdAt`, the same on every re-read. */
  timestamp: string;
}

/** One partition's batch of domain records. */
export interface RouteDomainEventsCommand {
  /** `operational`: records of herald.operational, routed to the workspace's subscribed endpoints. */
  source?: 'domain' | 'operational';
  topic: string;
  partition: number;
  records: DomainRecord[];
  /** Keeps the consumer group membership alive between produce requests of a large fan-out. */
  heartbeat?: () => Promise<void>;
  /** Commits the partition up to an offset (exclusive) after the batch returned; see MarkerTrail. */
  commitLater?: (offset: string) => Promise<boolean>;
}

export interface RouteSummary {
  deliveries: number;
  invalid: number;
  duplicates: number;
  unmatched: number;
  /** Set while the batch's dedupe markers are still being written: commit no further than this yet. */
  commitBefore?: string;
}
