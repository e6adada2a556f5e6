import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureTopics, type TopicSpec } from '@herald/kafka';
import { freePort } from '../embedded-postgres';
import { kafkaDistribution } from './kafka-distribution';
import { KafkaNode } from './kafka-node';
import { TcpProxy } from './tcp-proxy';

export interface KafkaClusterOptions {
  /** 1: one combined broker and controller; 3: a quorum of three, for faults. */
  nodes?: number;
  /** A TCP proxy in front of each broker's client listener (clients connect through it). */
  proxied?: boolean;
  heapMb?: number;
  /** Names the log folder kept under test-results/kafka/ when a test fails. */
  label?: string;
}

/**
 * Apache Kafka in KRaft mode for tests, benchmarks and `npm run dev`: every node a combined broker
 * and controller on random loopback ports, with a temporary data directory removed on stop.
 */
export class KafkaCluster {
  private adminClient?: Admin;

  private constructor(
    readonly nodes: KafkaNode[],
    private readonly proxies: Map<number, TcpProxy>,
    private readonly dir: string,
    readonly version: string,
    private readonly label: string,
  ) {}

  static async start(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
    const size = options.nodes ?? 1;
    const distribution = kafkaDistribution();
    const dir = mkdtempSync(join(tmpdir(), 'herald-kafka-'));
    const removeDir = () => rmSync(dir, { recursive: true, force: true });
    process.once('exit', removeDir);
    const ports = await Promise.all(
      Array.from({ length: size }, async () => ({
        client: await freePort(),
        internal: await freePort(),
        controller: await freePort(),
      })),
    );
    const proxies = new Map<number, TcpProxy>();
    if (options.proxied) {
      for (const [index, port] of ports.entries()) proxies.set(index + 1, await TcpProxy.start(port.client));
    }
    const voters = ports.map((port, index) => `${index + 1}@127.0.0.1:${port.controller}`).join(',');
    const nodes = ports.map(
      (port, index) =>
        new KafkaNode(
          {
            nodeId: index + 1,
            dir: join(dir, `node-${index + 1}`),
            clientPort: port.client,
            advertisedPort: proxies.get(index + 1)?.port ?? port.client,
            internalPort: port.internal,
            controllerPort: port.controller,
            voters,
            clusterSize: size,
            heapMb: options.heapMb ?? (size > 1 ? 384 : 512),
          },
          distribution,
        ),
    );
    const cluster = new KafkaCluster(nodes, proxies, dir, distribution.version, options.label ?? 'kafka');
    try {
      const clusterId = newClusterId();
      await Promise.all(nodes.map((node) => node.format(clusterId)));
      for (const node of nodes) node.start();
      await cluster.waitForBrokers(nodes.map((node) => node.id));
    } catch (error) {
      await cluster.stop({ keepLogs: true });
      throw error;
    }
    return cluster;
  }

  /** Client bootstrap addresses, through the proxies when there are any. */
  get brokers(): string[] {
    return this.nodes.map((node) => `127.0.0.1:${node.spec.advertisedPort}`);
  }

  node(id: number): KafkaNode {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new Error(`no Kafka node ${id}`);
    return node;
  }

  proxy(id: number): TcpProxy {
    const proxy = this.proxies.get(id);
    if (!proxy) throw new Error(`Kafka node ${id} has no proxy (start the cluster with proxied: true)`);
    return proxy;
  }

  /**
   * Creates topics with their real settings. On three nodes every topic is replicated three times
   * and needs two in-sync replicas for a write, as Herald recommends in production.
   */
  async createTopics(specs: TopicSpec[]): Promise<void> {
    const replicated = this.nodes.length >= 3;
    await ensureTopics(
      this.kafka(),
      specs.map((spec) => ({
        ...spec,
        replicationFactor: Math.min(this.nodes.length, 3),
        configEntries: { ...(replicated ? { 'min.insync.replicas': '2' } : {}), ...spec.configEntries },
      })),
    );
  }

  /** How many partitions of `topic` each node leads. */
  async leaderCounts(topic: string): Promise<Map<number, number>> {
    const metadata = await (await this.admin()).fetchTopicMetadata({ topics: [topic] });
    const counts = new Map<number, number>();
    for (const partition of metadata.topics[0].partitions) {
      counts.set(partition.leader, (counts.get(partition.leader) ?? 0) + 1);
    }
    return counts;
  }

  /** Starts a stopped or killed node on its data and waits until the cluster lists it again. */
  async restart(id: number): Promise<void> {
    this.node(id).start();
    await this.waitForBrokers([id]);
  }

  /**
   * A broker outage: node `id` is SIGKILLed, stays down `downMs` (the fault itself, not a wait for
   * anything), then restarts on its data; resolves once the cluster lists it again.
   */
  async outage(id: number, downMs: number): Promise<void> {
    await this.node(id).kill();
    try {
      await new Promise((r) => setTimeout(r, downMs));
    } finally {
      await this.restart(id);
    }
  }

  /**
   * Waits until each listed node answers on its own listener and lists every one of them as a broker.
   * Asking the node itself matters after a restart: the others may not have noticed it was gone.
   */
  async waitForBrokers(ids: number[], timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const id of ids) {
      let last = '';
      for (;;) {
        this.node(id).assertAlive();
        const admin = this.kafka([id]).admin();
        try {
          await admin.connect();
          const { brokers } = await admin.describeCluster();
          const listed = new Set(brokers.map((broker) => broker.nodeId));
          if (ids.every((other) => listed.has(other))) break;
          last = `node ${id} lists ${[...listed].join(',')}`;
        } catch (error) {
          last = (error as Error).message;
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
        if (Date.now() > deadline) {
          throw new Error(`Kafka nodes ${ids.join(',')} not ready after ${timeoutMs} ms (${last})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /**
   * Stops every node and removes the data. With `keepLogs`, each node's log is first copied to
   * test-results/kafka/<label>-<time>/ for reading the failure.
   */
  async stop(options: { keepLogs?: boolean } = {}): Promise<void> {
    await this.adminClient?.disconnect().catch(() => undefined);
    this.adminClient = undefined;
    await Promise.all(this.nodes.map((node) => node.kill()));
    for (const proxy of this.proxies.values()) await proxy.close();
    if (options.keepLogs) {
      const target = join(process.cwd(), 'test-results', 'kafka', `${this.label}-${Date.now()}`);
      mkdirSync(target, { recursive: true });
      for (const node of this.nodes) {
        for (const file of ['server.log', 'stdout.log', 'server.properties']) {
          if (existsSync(join(node.spec.dir, file)))
            cpSync(join(node.spec.dir, file), join(target, `node-${node.id}.${file}`), { force: true });
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A client bootstrapped on the nodes' own listeners (all nodes, or those listed). */
  private kafka(ids?: number[]): Kafka {
    const nodes = ids ? ids.map((id) => this.node(id)) : this.nodes;
    return new Kafka({
      clientId: 'herald-test-cluster',
      brokers: nodes.map((node) => `127.0.0.1:${node.spec.clientPort}`),
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100 },
    });
  }

  private async admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafka().admin();
      await admin.connect();
      this.adminClient = admin;
    }
    return this.adminClient;
  }
}

/**
 * A KRaft cluster id: 16 random bytes in base64url. One that starts with '-' is drawn again, as Kafka's
 * own generator does: the storage tool's argument parser would read it as an option.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
