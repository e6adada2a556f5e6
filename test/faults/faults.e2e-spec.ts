import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaApiKey, KafkaErrorCode } from '@herald/testing';
import type { LedgerReport } from './delivery-ledger';
import { FaultPipeline, SERVICE_PROCESSES } from './fault-pipeline';

/**
 * Issue 9's fault suite: each scenario runs under load with a ledger of every (event, matched
 * endpoint) pair, and fails on any loss. The normal e2e run takes the short form; `npm run
 * test:faults` (HERALD_FAULTS_FULL=1) runs the full durations (broker down 30 s, Postgres down 60 s).
 */
const FULL = Boolean(process.env.HERALD_FAULTS_FULL);
const P = FULL
  ? {
      rate: 20,
      killEvents: 600,
      killGapMs: 5_000,
      brokerDownMs: 30_000,
      pgDownMs: 60_000,
      loadEvents: 400,
      settleMs: 240_000,
    }
  : {
      rate: 15,
      killEvents: 120,
      killGapMs: 1_200,
      brokerDownMs: 4_000,
      pgDownMs: 5_000,
      loadEvents: 90,
      // A pair whose attempts all hang past the 15 s timeout needs about 80 s to be dead-lettered.
      settleMs: 180_000,
    };

jest.setTimeout(FULL ? 1_800_000 : 300_000);

describe(`fault suite (${FULL ? 'full' : 'short'} form)`, () => {
  let pipeline: FaultPipeline;
  const reports: LedgerReport[] = [];

  beforeAll(async () => {
    pipeline = await FaultPipeline.start();
  });

  afterAll(async () => {
    const dir = join(process.cwd(), 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `faults-${FULL ? 'full' : 'short'}.json`),
      `${JSON.stringify(reports, null, 2)}\n`,
    );
    await pipeline?.stop();
  });

  async function settleAndReport(
    ledger: ReturnType<FaultPipeline['ledger']>,
    extra: Record<string, unknown> = {},
  ): Promise<LedgerReport> {
    await ledger.settle(P.settleMs);
    if (ledger.outstanding().length > 0) {
      for (const dead of await pipeline.readDeadLetters()) ledger.deadLettered(dead.endpointId, dead.eventId);
    }
    const report = { ...ledger.report(), ...extra } as LedgerReport;
    reports.push(report);
    console.log(JSON.stringify(report));
    if (process.env.HERALD_FAULTS_VERBOSE) {
      // Every service's recent output per scenario, for reading a failure after the run.
      const dir = join(process.cwd(), 'test-results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, `faults-${report.scenario}-output.json`),
        `${JSON.stringify({ uncommitted: await pipeline.uncommitted().catch(() => null), output: pipeline.serviceOutput(400) }, null, 2)}\n`,
      );
    }
    if (report.lost > 0) {
      const uncommitted = await pipeline.uncommitted().catch((error: Error) => error.message);
      console.warn(
        `${report.scenario}: uncommitted records ${JSON.stringify(uncommitted)}; service output\n${JSON.stringify(pipeline.serviceOutput(), null, 2)}`,
      );
    }
    expect(report.lost).toBe(0);
    expect(report.unexpected).toBe(0);
    expect(report.delivered + report.deadLettered).toBe(report.expected);
    return report;
  }

  it('SIGKILL of each service in turn under load, then a restart: nothing lost', async () => {
    pipeline.mode = 'flaky'; // retries flow through the scheduler while it is killed too
    const ledger = pipeline.ledger('sigkill-each-service');
    const restarts: Promise<void>[] = [];
    const order = [...SERVICE_PROCESSES];
    // Each kill lands at a random moment inside its own slot of the load window.
    const killAt = order.map(
      (_, i) => 1_000 + i * P.killGapMs + Math.floor(Math.random() * (P.killGapMs / 2)),
    );
    let next = 0;
    await pipeline.produce(ledger, {
      count: P.killEvents,
      perSecond: P.rate,
      onTick: async (elapsed) => {
        while (next < order.length && elapsed >= killAt[next]) {
          const service = order[next];
          next += 1;
          await pipeline.kill(service);
          restarts.push(pipeline.restart(service));
        }
      },
    });
    await Promise.all(restarts);
    expect(next).toBe(order.length);
    await settleAndReport(ledger, { killed: order });
  });

  it('a broker stopped under load, then started again: nothing lost', async () => {
    const cluster = pipeline.env.cluster;
    if (!cluster) {
      console.warn('skipped: broker control needs the embedded mock cluster (KAFKA_BROKERS is set)');
      return;
    }
    pipeline.mode = 'ok';
    const ledger = pipeline.ledger('broker-down');
    let down = false;
    let upAt = 0;
    await pipeline.produce(ledger, {
      count: Math.round(P.rate * (P.brokerDownMs / 1_000 + 4)),
      perSecond: P.rate,
      onTick: (elapsed) => {
        if (!down && elapsed >= 1_000) {
          cluster.brokerDown(1);
          if (process.env.HERALD_FAULTS_VERBOSE) process.stderr.write(`broker 1 down at ${elapsed} ms\n`);
          down = true;
          upAt = elapsed + P.brokerDownMs;
        } else if (down && upAt > 0 && elapsed >= upAt) {
          cluster.brokerUp(1);
          if (process.env.HERALD_FAULTS_VERBOSE) process.stderr.write(`broker 1 up at ${elapsed} ms\n`);
          upAt = 0;
        }
      },
    });
    if (upAt > 0) cluster.brokerUp(1);
    await settleAndReport(ledger, { brokerDownMs: P.brokerDownMs });
  });

  /**
   * Bursts of injected request errors through the load, one burst every 1.5 s; `injected` adds to
   * the report what the injection did by the end of the load.
   */
  async function underRequestErrors(
    scenario: string,
    inject: (burst: number) => void,
    injected: () => Record<string, unknown> = () => ({}),
  ): Promise<LedgerReport> {
    pipeline.mode = 'ok';
    const ledger = pipeline.ledger(scenario);
    let bursts = 0;
    await pipeline.produce(ledger, {
      count: P.loadEvents,
      perSecond: P.rate,
      onTick: (elapsed) => {
        if (elapsed < bursts * 1_500) return;
        bursts += 1;
        inject(bursts);
      },
    });
    return settleAndReport(ledger, { injectionBursts: bursts, ...injected() });
  }

  const burst = (code: number) => Array.from({ length: 6 }, () => code);

  it('injected produce and offset-commit errors (not leader, request timed out): nothing lost', async () => {
    const cluster = pipeline.env.cluster;
    if (!cluster) {
      console.warn('skipped: error injection needs the embedded mock cluster (KAFKA_BROKERS is set)');
      return;
    }
    await underRequestErrors('produce-commit-errors', (n) => {
      const code = n % 2 === 0 ? KafkaErrorCode.NotLeaderForPartition : KafkaErrorCode.RequestTimedOut;
      cluster.injectRequestErrors(KafkaApiKey.Produce, burst(code));
      cluster.injectRequestErrors(KafkaApiKey.OffsetCommit, burst(KafkaErrorCode.RequestTimedOut));
    });
  });

  it('Postgres stopped under load: the hot path keeps delivering and the projections catch up', async () => {
    const postgres = pipeline.env.postgres;
    if (!postgres) {
      console.warn('skipped: stopping Postgres needs the embedded server (DATABASE_URL is set)');
      return;
    }
    pipeline.mode = 'ok';
    const ledger = pipeline.ledger('postgres-down');
    let pausedAt = 0;
    let deliveredAtPause = 0;
    let deliveredWhilePaused = 0;
    let restarted: Promise<void> | undefined;
    await pipeline.produce(ledger, {
      count: Math.round(P.rate * (P.pgDownMs / 1_000 + 3)),
      perSecond: P.rate,
      onTick: async (elapsed) => {
        if (pausedAt === 0 && elapsed >= 1_000) {
          await postgres.pause();
          pausedAt = elapsed;
          deliveredAtPause = ledger.deliveredCount();
        } else if (pausedAt > 0 && !restarted && elapsed >= pausedAt + P.pgDownMs) {
          deliveredWhilePaused = ledger.deliveredCount() - deliveredAtPause;
          restarted = postgres.restart();
        }
      },
    });
    if (!restarted) {
      deliveredWhilePaused = ledger.deliveredCount() - deliveredAtPause;
      restarted = postgres.restart();
    }
    await restarted;
    expect(deliveredWhilePaused).toBeGreaterThan(0);
    await ledger.settle(P.settleMs);
    const projections = await pipeline.projectionsCaughtUp(ledger, FULL ? 180_000 : 60_000);
    await settleAndReport(ledger, {
      postgresDownMs: P.pgDownMs,
      deliveredWhilePaused,
      projectionsMissing: projections.missing,
    });
    expect(projections.missing).toBe(0);
  });

  it('a chaotic receiver (500s, hangs past the timeout, resets, slow and huge responses): nothing lost', async () => {
    pipeline.mode = 'chaos';
    const ledger = pipeline.ledger('chaotic-receiver');
    await pipeline.produce(ledger, { count: P.loadEvents, perSecond: P.rate });
    const report = await settleAndReport(ledger);
    // The chaos must really have hit: more requests than pairs.
    expect(report.requests).toBeGreaterThan(report.expected);
    pipeline.mode = 'ok';
  });

  it('poison input at 10 % of traffic: every bad record dead-lettered, every good one delivered', async () => {
    pipeline.mode = 'ok';
    const ledger = pipeline.ledger('poison-10pct');
    const invalidBefore = await pipeline.invalidEventsWritten();
    const poison = await pipeline.produce(ledger, {
      count: P.loadEvents,
      perSecond: P.rate,
      poisonRatio: 0.1,
    });
    await ledger.settle(P.settleMs);
    const deadline = Date.now() + 15_000;
    let invalid = (await pipeline.invalidEventsWritten()) - invalidBefore;
    while (invalid < poison && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      invalid = (await pipeline.invalidEventsWritten()) - invalidBefore;
    }
    await settleAndReport(ledger, { poison, invalidRecorded: invalid });
    expect(invalid).toBe(poison);
  });

  // Last: if fetch errors wedge a consumer, the scenarios above have already given their verdicts.
  // This was skipped as "the mock stops serving fetches"; it never did. kafkajs rejoins its group on
  // every Fetch NOT_LEADER and the mock coordinator holds each rejoin for the session timeout - 1 s
  // (hence 6 s sessions in FaultPipeline), and errors pushed to the cluster-wide queue piled up during
  // those holds, then all hit the next fetcher. So each burst leaves at most one error waiting per
  // broker: a broker fails the fetches it gets now, not ones sent a minute later.
  it('injected fetch errors (not leader, request timed out): nothing lost', async () => {
    const cluster = pipeline.env.cluster;
    if (!cluster) {
      console.warn('skipped: error injection needs the embedded mock cluster (KAFKA_BROKERS is set)');
      return;
    }
    const codes = [KafkaErrorCode.NotLeaderForPartition, KafkaErrorCode.RequestTimedOut];
    const brokers = Array.from({ length: cluster.brokerCount }, (_, i) => i + 1);
    const pushed = new Map<number, number>(codes.map((code) => [code, 0]));
    const lastCode = new Map<number, number>();
    /** Errors of each code that fetches have received so far. */
    const served = (): Record<string, number> => {
      const out = new Map(pushed);
      for (const broker of brokers) {
        if (cluster.pendingBrokerRequestErrors(broker, KafkaApiKey.Fetch) > 0) {
          const code = lastCode.get(broker)!;
          out.set(code, out.get(code)! - 1);
        }
      }
      return {
        notLeader: out.get(KafkaErrorCode.NotLeaderForPartition)!,
        requestTimedOut: out.get(KafkaErrorCode.RequestTimedOut)!,
      };
    };
    let servedByLoadEnd: Record<string, number> = {};
    await underRequestErrors(
      'fetch-errors',
      (n) => {
        for (const broker of brokers) {
          if (cluster.pendingBrokerRequestErrors(broker, KafkaApiKey.Fetch) > 0) continue;
          const code = codes[(n + broker) % codes.length];
          // A timed-out request is answered late, as a broker does once its own timeout passes.
          const rttMs = code === KafkaErrorCode.RequestTimedOut ? 1_000 : 0;
          cluster.injectBrokerRequestErrors(broker, KafkaApiKey.Fetch, [{ code, rttMs }]);
          pushed.set(code, pushed.get(code)! + 1);
          lastCode.set(broker, code);
        }
      },
      () => {
        servedByLoadEnd = served();
        return { fetchErrorsServed: servedByLoadEnd };
      },
    );
    // The errors must really have reached consumers under load, both kinds.
    expect(servedByLoadEnd.notLeader).toBeGreaterThan(0);
    expect(servedByLoadEnd.requestTimedOut).toBeGreaterThan(0);
  });
});
