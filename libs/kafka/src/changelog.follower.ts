import type { Kafka } from 'kafkajs';
import type { ReadinessRegistry } from '@herald/telemetry';
import { type CatchUpOptions, ChangelogReader, type ChangelogHandlers } from './changelog.reader';

export interface ChangelogFollowerOptions {
  topic: string;
  /** Prefix of the fresh consumer group each process reads the topic with. */
  groupPrefix: string;
  readiness: Pick<ReadinessRegistry, 'register'>;
  /** Name of the readiness check that fails until the topic is loaded. */
  readinessCheck: string;
  /** What the failing check says, e.g. "subscription index is still loading". */
  loadingMessage: string;
  /** Runs once, when the topic as it stood at start-up has been applied. */
  onLoaded?: () => void;
}

/**
 * A service's in-memory view of one compacted topic: reads it from the beginning and keeps following
 * it, reports not-ready until everything present at start-up has been applied, and stops on shutdown.
 */
export class ChangelogFollower {
  private readonly reader: ChangelogReader;
  private readonly onLoaded?: () => void;
  private started?: Promise<void>;
  private isLoaded = false;

  constructor(kafka: Kafka, options: ChangelogFollowerOptions, handlers: ChangelogHandlers) {
    this.reader = new ChangelogReader(kafka, options.topic, options.groupPrefix, handlers);
    this.onLoaded = options.onLoaded;
    options.readiness.register(options.readinessCheck, async () => {
      if (!this.isLoaded) throw new Error(options.loadingMessage);
    });
  }

  get loaded(): boolean {
    return this.isLoaded;
  }

  /** Starts reading and resolves once the topic as it stood at start-up is applied; idempotent. */
  start(): Promise<void> {
    this.started ??= this.load();
    return this.started;
  }

  /** Resolves true once everything in the topic when called is applied; false after the bound. */
  catchUp(options: CatchUpOptions): Promise<boolean> {
    return this.reader.catchUp(options);
  }

  async stop(): Promise<void> {
    await this.reader.stop();
  }

  private async load(): Promise<void> {
    await this.reader.start();
    await this.reader.ready;
    this.isLoaded = true;
    this.onLoaded?.();
  }
}
