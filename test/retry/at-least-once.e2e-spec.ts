// Not on startPipeline: it runs on the fault suite's FaultPipeline (three proxied brokers, one process per service).
import { FaultPipeline } from '../faults/fault-pipeline';

jest.setTimeout(300_000);

/**
 * At-least-once with nothing lost: under load, with a receiver failing a quarter of attempts so that
 * retries wait in the tiers, the dispatcher and then the scheduler are SIGKILLed at a random moment
 * and restarted. Every matched delivery still arrives or is dead-lettered; duplicates are counted and
 * reported (receivers dedupe by webhook-id).
 */
describe('at-least-once delivery through crashes of the dispatcher and the scheduler', () => {
  let pipeline: FaultPipeline;

  beforeAll(async () => {
    pipeline = await FaultPipeline.start();
    pipeline.receiverBehaviour.mode = 'flaky';
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  for (const service of ['dispatcher', 'scheduler'] as const) {
    it(`SIGKILL of the ${service} at a random moment under load loses nothing`, async () => {
      const ledger = pipeline.ledger(`sigkill-${service}`);
      const killAt = 1_000 + Math.floor(Math.random() * 3_000);
      let restarted: Promise<void> | undefined;
      await pipeline.produce(ledger, {
        count: 90,
        perSecond: 15,
        onTick: async (elapsed) => {
          if (restarted || elapsed < killAt) return;
          await pipeline.kill(service);
          restarted = pipeline.restart(service);
        },
      });
      await restarted;
      await ledger.settle(90_000);
      const report = { ...ledger.report(), killedAtMs: killAt };
      console.log(JSON.stringify(report));
      expect(restarted).toBeDefined();
      expect(report.requests).toBeGreaterThan(report.expected); // retries really happened
      expect(report.lost).toBe(0);
      expect(report.unexpected).toBe(0);
      expect(report.delivered + report.deadLettered).toBe(report.expected);
    });
  }
});
