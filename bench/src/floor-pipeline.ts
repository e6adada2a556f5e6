import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * The least Kafka work Herald's design implies, with nothing else: a route stage (event in, delivery
 * record out, keyed by endpoint) and a dispatch stage (delivery in, HMAC, POST, attempt record out),
 * each in its own process like Herald's router and dispatcher. No projector. Herald cannot beat it on
 * the same machine; the bare pipeline (one consume, no records written) is what it is compared with.
 */
export async function startFloorPipeline(options: {
  brokers: string[];
  events: string;
  deliveries: string;
  attempts: string;
  receiverUrl: string;
}): Promise<{ pids: Record<string, number>; stop: () => Promise<void> }> {
  const script = join(__dirname, 'floor-stage.js');
  const brokers = options.brokers.join(',');
  const start = (args: string[]) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`floor stage ${args[0]} exited with ${code}`)));
    });
  const [route, dispatch] = await Promise.all([
    start(['route', brokers, options.events, options.deliveries, options.receiverUrl]),
    start(['dispatch', brokers, options.deliveries, options.attempts, options.receiverUrl]),
  ]);
  return {
    pids: { route: route.pid!, dispatch: dispatch.pid! },
    async stop() {
      await Promise.all(
        [route, dispatch].map(
          (child) =>
            new Promise<void>((resolve) => {
              child.removeAllListeners('exit');
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
