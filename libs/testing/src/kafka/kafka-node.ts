import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KafkaDistribution } from './kafka-distribution';

const run = promisify(execFile);

/** Where one KRaft node (combined broker and controller) listens and keeps its files. */
export interface KafkaNodeSpec {
  nodeId: number;
  /** The node's own directory: data/, server.properties, log4j2.properties, server.log, stdout.log. */
  dir: string;
  /** The broker's client listener. */
  clientPort: number;
  /** The client address the broker advertises: a proxy's port when one stands in front. */
  advertisedPort: number;
  /** Replication between brokers, never proxied. */
  internalPort: number;
  controllerPort: number;
  /** `id@host:port` of every controller, the static KRaft quorum. */
  voters: string;
  /** Nodes in the cluster: the replication factor of Kafka's own topics. */
  clusterSize: number;
  heapMb: number;
}

/** Parent-death signal, where util-linux's setpriv exists: a JVM never outlives the test run. */
const SETPRIV = spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;

/** One Apache Kafka JVM in KRaft mode, sized for a 2-core machine. */
export class KafkaNode {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly spec: KafkaNodeSpec,
    private readonly distribution: KafkaDistribution,
  ) {
    mkdirSync(join(spec.dir, 'data'), { recursive: true });
    writeFileSync(join(spec.dir, 'server.properties'), properties(serverProperties(spec)));
    writeFileSync(join(spec.dir, 'log4j2.properties'), properties(logProperties(spec.dir)));
  }

  get id(): number {
    return this.spec.nodeId;
  }

  get logFile(): string {
    return join(this.spec.dir, 'server.log');
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Writes the node's storage metadata; once per data directory. */
  async format(clusterId: string): Promise<void> {
    await run(
      this.distribution.java,
      [
        ...this.jvmArgs(256),
        'kafka.tools.StorageTool',
        'format',
        '--ignore-formatted',
        `--cluster-id=${clusterId}`,
        `--config=${join(this.spec.dir, 'server.properties')}`,
      ],
      { timeout: 120_000 },
    );
  }

  /** Starts the JVM on the existing data directory; readiness is the cluster's to check. */
  start(): void {
    if (this.running) return;
    const out = openSync(join(this.spec.dir, 'stdout.log'), 'a');
    const java = [
      this.distribution.java,
      ...this.jvmArgs(this.spec.heapMb),
      'kafka.Kafka',
      join(this.spec.dir, 'server.properties'),
    ];
    const [command, ...args] = SETPRIV ? ['setpriv', '--pdeathsig', 'KILL', '--', ...java] : java;
    // Its own process group: a Ctrl-C meant for the parent must not stop the broker before the
    // parent's services have left it.
    const child = spawn(command, args, { stdio: ['ignore', out, out], detached: true });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    if (!SETPRIV) process.once('exit', () => child.kill('SIGKILL'));
  }

  /** Throws with the log's tail when the JVM has died; for readiness loops. */
  assertAlive(): void {
    if (this.child && !this.running) {
      throw new Error(
        `Kafka node ${this.id} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.tail()}`,
      );
    }
  }

  tail(chars = 4000): string {
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').slice(-chars) : '');
    return `${read(join(this.spec.dir, 'stdout.log'))}\n${read(this.logFile)}`.trim();
  }

  /** SIGKILL: the broker gets no chance to hand over leadership or flush. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  /** SIGTERM, the controlled shutdown; SIGKILL if it has not ended in `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.signalAndWait('SIGTERM');
    clearTimeout(timer);
  }

  /** SIGSTOP: hung, not dead; its sockets stay open and answer nothing. */
  pause(): void {
    if (this.running) this.child!.kill('SIGSTOP');
  }

  resume(): void {
    if (this.running) this.child!.kill('SIGCONT');
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    // A stopped JVM would never see SIGTERM.
    this.child!.kill('SIGCONT');
    this.child!.kill(signal);
    await this.exited;
  }

  private jvmArgs(heapMb: number): string[] {
    return [
      `-Xms${Math.min(heapMb, 256)}m`,
      `-Xmx${heapMb}m`,
      // Two cores: one GC thread pool and few compiler threads leave the CPU to Herald.
      '-XX:+UseParallelGC',
      '-XX:ParallelGCThreads=2',
      '-XX:CICompilerCount=2',
      // C1 only: C2 kept compiling minutes into a run and took about half the broker's CPU in the
      // bench's steady-rate phases; C1's code is slower per request but the total is lower here
      // (bench/README.md, "The test broker's JIT").
      '-XX:TieredStopAtLevel=1',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:-UsePerfData',
      '-Djava.awt.headless=true',
      // Extra flags for experiments; later flags win (e.g. -XX:TieredStopAtLevel=4 restores C2).
      ...(process.env.HERALD_TEST_KAFKA_JVM_OPTS?.split(/\s+/).filter(Boolean) ?? []),
      `-Dlog4j2.configurationFile=${join(this.spec.dir, 'log4j2.properties')}`,
      '-cp',
      this.distribution.classpath,
    ];
  }
}

function serverProperties(spec: KafkaNodeSpec): Record<string, string | number | boolean> {
  const host = '127.0.0.1';
  const replicas = spec.clusterSize;
  return {
    'process.roles': 'broker,controller',
    'node.id': spec.nodeId,
    'controller.quorum.voters': spec.voters,
    listeners: `CLIENT://${host}:${spec.clientPort},INTERNAL://${host}:${spec.internalPort},CONTROLLER://${host}:${spec.controllerPort}`,
    'advertised.listeners': `CLIENT://${host}:${spec.advertisedPort},INTERNAL://${host}:${spec.internalPort}`,
    'listener.security.protocol.map': 'CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': join(spec.dir, 'data'),
    // Few threads: the whole cluster shares two cores with Herald and the tests.
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
    'num.replica.fetchers': 1,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'offsets.topic.num.partitions': 8,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.num.partitions': 4,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': Math.min(2, replicas),
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': Math.min(2, replicas),
    'default.replication.factor': replicas,
    'num.partitions': 4,
    // A test's consumer group forms as soon as its members join, not 3 s later.
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
  };
}

function logProperties(dir: string): Record<string, string> {
  return {
    status: 'error',
    'appender.file.type': 'File',
    'appender.file.name': 'FILE',
    'appender.file.fileName': join(dir, 'server.log'),
    'appender.file.layout.type': 'PatternLayout',
    'appender.file.layout.pattern': '[%d] %p %m (%c)%n',
    'rootLogger.level': 'INFO',
    'rootLogger.appenderRef.file.ref': 'FILE',
    'logger.state.name': 'state.change.logger',
    'logger.state.level': 'WARN',
    'logger.request.name': 'kafka.request.logger',
    'logger.request.level': 'WARN',
  };
}

function properties(entries: Record<string, string | number | boolean>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}
