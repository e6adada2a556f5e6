import koffi from 'koffi';
import { locateLibrdkafka } from './librdkafka.locator';

/** Kafka protocol API keys used for error injection. */
export const KafkaApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  SyncGroup: 14,
} as const;

/** Kafka error codes worth injecting. */
export const KafkaErrorCode = {
  NotLeaderForPartition: 6,
  RequestTimedOut: 7,
  NotCoordinator: 16,
  NotEnoughReplicas: 19,
} as const;

interface Librdkafka {
  confNew: () => unknown;
  confSet: (conf: unknown, name: string, value: string, errstr: Buffer, size: number) => number;
  kafkaNew: (type: number, conf: unknown, errstr: Buffer, size: number) => unknown;
  kafkaDestroy: (rk: unknown) => void;
  clusterNew: (rk: unknown, brokers: number) => unknown;
  clusterDestroy: (cluster: unknown) => void;
  bootstraps: (cluster: unknown) => string;
  topicCreate: (cluster: unknown, topic: string, partitions: number, replication: number) => number;
  brokerDown: (cluster: unknown, brokerId: number) => number;
  brokerUp: (cluster: unknown, brokerId: number) => number;
  brokerRtt: (cluster: unknown, brokerId: number, rttMs: number) => number;
  pushErrors: (cluster: unknown, apiKey: number, count: number, errors: Int32Array) => void;
  /** Variadic: after `count`, one ('int', code, 'int', rttMs) quadruple per error. */
  brokerPushErrors: (
    cluster: unknown,
    brokerId: number,
    apiKey: number,
    count: number,
    ...rest: unknown[]
  ) => number;
  brokerErrorCount: (cluster: unknown, brokerId: number, apiKey: number, count: number[]) => number;
}

/** One error a broker answers a request with, after `rttMs` (default 0). */
export interface InjectedError {
  code: number;
  rttMs?: number;
}

let bound: Librdkafka | undefined;

function bind(): Librdkafka {
  if (bound) return bound;
  const lib = koffi.load(locateLibrdkafka());
  bound = {
    confNew: lib.func('void *rd_kafka_conf_new(void)'),
    confSet: lib.func(
      'int rd_kafka_conf_set(void *conf, const char *name, const char *value, _Out_ uint8_t *errstr, size_t size)',
    ),
    kafkaNew: lib.func('void *rd_kafka_new(int type, void *conf, _Out_ uint8_t *errstr, size_t size)'),
    kafkaDestroy: lib.func('void rd_kafka_destroy(void *rk)'),
    clusterNew: lib.func('void *rd_kafka_mock_cluster_new(void *rk, int brokers)'),
    clusterDestroy: lib.func('void rd_kafka_mock_cluster_destroy(void *cluster)'),
    bootstraps: lib.func('const char *rd_kafka_mock_cluster_bootstraps(void *cluster)'),
    topicCreate: lib.func(
      'int rd_kafka_mock_topic_create(void *cluster, const char *topic, int partitions, int replication)',
    ),
    brokerDown: lib.func('int rd_kafka_mock_broker_set_down(void *cluster, int32_t broker)'),
    brokerUp: lib.func('int rd_kafka_mock_broker_set_up(void *cluster, int32_t broker)'),
    brokerRtt: lib.func('int rd_kafka_mock_broker_set_rtt(void *cluster, int32_t broker, int rtt)'),
    pushErrors: lib.func(
      'void rd_kafka_mock_push_request_errors_array(void *cluster, int16_t apiKey, size_t count, const int32_t *errors)',
    ),
    brokerPushErrors: lib.func(
      'int rd_kafka_mock_broker_push_request_error_rtts(void *cluster, int32_t broker, int16_t apiKey, size_t count, ...)',
    ),
    brokerErrorCount: lib.func(
      'int rd_kafka_mock_broker_error_stack_cnt(void *cluster, int32_t broker, int16_t apiKey, _Out_ size_t *count)',
    ),
  };
  return bound;
}

/**
 * librdkafka's in-process mock cluster: real TCP listeners on 127.0.0.1 speaking the Kafka protocol.
 * Brokers are numbered from 1.
 */
export class MockKafkaCluster {
  private constructor(
    private readonly lib: Librdkafka,
    private readonly handle: unknown,
    private cluster: unknown,
    readonly bootstrapServers: string,
    readonly brokerCount: number,
  ) {}

  static start(brokerCount = 3): MockKafkaCluster {
    const lib = bind();
    const errstr = Buffer.alloc(512);
    const conf = lib.confNew();
    // A quiet producer handle only hosts the mock cluster.
    lib.confSet(conf, 'log_level', '0', errstr, errstr.length);
    const handle = lib.kafkaNew(0, conf, errstr, errstr.length);
    if (!handle) throw new Error(`rd_kafka_new failed: ${errstr.toString('utf8').replace(/\0.*$/s, '')}`);
    const cluster = lib.clusterNew(handle, brokerCount);
    if (!cluster) throw new Error('rd_kafka_mock_cluster_new failed');
    return new MockKafkaCluster(lib, handle, cluster, lib.bootstraps(cluster), brokerCount);
  }

  get brokers(): string[] {
    return this.bootstrapServers.split(',');
  }

  createTopic(topic: string, partitions = 4): void {
    const err = this.lib.topicCreate(this.live(), topic, partitions, 1);
    // 36 = TOPIC_ALREADY_EXISTS: creation is idempotent for callers.
    if (err !== 0 && err !== 36) throw new Error(`creating topic ${topic} failed with Kafka error ${err}`);
  }

  brokerDown(brokerId: number): void {
    this.check(this.lib.brokerDown(this.live(), brokerId), `broker ${brokerId} down`);
  }

  brokerUp(brokerId: number): void {
    this.check(this.lib.brokerUp(this.live(), brokerId), `broker ${brokerId} up`);
  }

  setRtt(brokerId: number, rttMs: number): void {
    this.check(this.lib.brokerRtt(this.live(), brokerId, rttMs), `broker ${brokerId} rtt`);
  }

  /**
   * The next `errors.length` requests of this API key fail with these codes, in order. The queue is
   * cluster-wide and waits for requests: errors pushed while no client sends that request pile up
   * and all hit whichever client sends it next, however much later.
   */
  injectRequestErrors(apiKey: number, errors: number[]): void {
    this.lib.pushErrors(this.live(), apiKey, errors.length, Int32Array.from(errors));
  }

  /**
   * The next `errors.length` requests of this API key to this broker fail, in order, each answered
   * after its RTT. Once a broker has had errors for an API key, it ignores the cluster-wide queue
   * (injectRequestErrors) for that key.
   */
  injectBrokerRequestErrors(brokerId: number, apiKey: number, errors: InjectedError[]): void {
    const args = errors.flatMap(({ code, rttMs }) => ['int', code, 'int', rttMs ?? 0]);
    this.check(
      this.lib.brokerPushErrors(this.live(), brokerId, apiKey, errors.length, ...args),
      `broker ${brokerId} request errors`,
    );
  }

  /** Errors injected into this broker for this API key that no request has consumed yet. */
  pendingBrokerRequestErrors(brokerId: number, apiKey: number): number {
    // librdkafka leaves the count unwritten for a broker that never had errors for the key.
    const count = [0];
    this.check(
      this.lib.brokerErrorCount(this.live(), brokerId, apiKey, count),
      `broker ${brokerId} request error count`,
    );
    return count[0];
  }

  stop(): void {
    if (!this.cluster) return;
    this.lib.clusterDestroy(this.cluster);
    this.lib.kafkaDestroy(this.handle);
    this.cluster = undefined;
  }

  private live(): unknown {
    if (!this.cluster) throw new Error('mock cluster is stopped');
    return this.cluster;
  }

  private check(err: number, what: string): void {
    if (err !== 0) throw new Error(`${what} failed with Kafka error ${err}`);
  }
}
