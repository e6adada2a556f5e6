import type { CliContext } from '../cli-context';
import { renderDeliveryLine, type DeliverySummary } from '../output/delivery-lines';
import { CliError, ExitCode, describeFailure } from '../output/exit-codes';
import { Interrupt } from '../interrupt';
import { TailWindow } from './tail-window';

export interface TailOptions {
  intervalMs: number;
  windowMs: number;
  filters: { endpointId?: string; status?: string; eventType?: string; test?: boolean };
}

/** Pages read per poll at most; a busier workspace than that shows its newest deliveries first. */
const MAX_PAGES = 5;
const PAGE_SIZE = 200;

/**
 * Polls the delivery log and prints each new delivery, then each change of its status or attempts,
 * one line each (NDJSON with --json). Ctrl-C ends it with exit 0. An unreachable API is reported once
 * and polled again; anything else (a revoked key, a deleted workspace) ends the tail.
 */
export async function runTail(context: CliContext, options: TailOptions): Promise<void> {
  const api = context.api();
  const path = context.path('/deliveries');
  const window = new TailWindow(Date.now(), options.windowMs);
  const interrupt = new Interrupt();
  let unreachable = false;
  context.stderr.write(
    `following deliveries of workspace ${context.workspace()} at ${api.baseUrl} (Ctrl-C stops)\n`,
  );
  try {
    while (!interrupt.interrupted) {
      try {
        const now = Date.now();
        const found: DeliverySummary[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_PAGES && !interrupt.interrupted; page += 1) {
          const answer = await api.get<{ data: DeliverySummary[]; nextCursor: string | null }>(path, {
            ...options.filters,
            since: window.since(now),
            limit: PAGE_SIZE,
            cursor,
          });
          found.push(...answer.data);
          if (!answer.nextCursor) break;
          cursor = answer.nextCursor;
        }
        if (unreachable) context.stderr.write('the API answers again\n');
        unreachable = false;
        for (const delivery of window.observe(found, now)) {
          context.line(
            context.json ? JSON.stringify(delivery) : renderDeliveryLine(delivery, context.colors),
          );
        }
      } catch (error) {
        if (!(error instanceof CliError) || error.exitCode !== ExitCode.Unreachable) throw error;
        if (!unreachable) context.stderr.write(`${describeFailure(error).message}; retrying\n`);
        unreachable = true;
      }
      await interrupt.sleep(options.intervalMs);
    }
  } finally {
    interrupt.dispose();
  }
}
