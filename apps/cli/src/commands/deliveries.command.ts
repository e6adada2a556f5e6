import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { DELIVERY_COLUMNS, clock, type DeliverySummary } from '../output/delivery-lines';
import { CliError, ExitCode } from '../output/exit-codes';
import { renderRecord, renderTable } from '../output/format';
import { runTail } from '../tail/tail.runner';

interface DeliveryPage {
  data: DeliverySummary[];
  nextCursor: string | null;
}

interface ListFlags {
  endpoint?: string;
  status?: string;
  eventType?: string;
  event?: string;
  test?: boolean;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
}

const STATUSES = ['pending', 'retrying', 'succeeded', 'failed'];

/** The API's own filters, so `--status` and the rest mean exactly what the query parameters mean. */
function withFilters(command: Command): Command {
  return command
    .option('--endpoint <id>', 'only deliveries to this endpoint')
    .addOption(new Option('--status <status>', 'only deliveries in this state').choices(STATUSES))
    .option('--event-type <type>', 'only this event type')
    .addOption(new Option('--test', 'only test pings'))
    .addOption(new Option('--no-test', 'hide test pings'));
}

export function registerDeliveries(program: Command): void {
  const deliveries = program.command('deliveries').description('the delivery log: list, get, tail');

  withFilters(deliveries.command('list').description('deliveries, newest first, with the API filters'))
    .option('--event <eventId>', "one event's deliveries, per endpoint")
    .option('--since <time>', 'ISO-8601: requested at or after')
    .option('--until <time>', 'ISO-8601: requested before')
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'nextCursor of the previous page')
    .action(async (options: ListFlags, command: Command) => {
      const context = CliContext.of(command);
      const { event, endpoint, ...rest } = options;
      const path = event ? `/events/${encodeURIComponent(event)}/deliveries` : '/deliveries';
      const query = event ? { limit: rest.limit, cursor: rest.cursor } : { ...rest, endpointId: endpoint };
      const page = await context.api().get<DeliveryPage>(context.path(path), query);
      context.table(page, DELIVERY_COLUMNS, page.data);
      if (!context.json && page.nextCursor) context.line(`more: --cursor ${page.nextCursor}`);
    });

  deliveries
    .command('get <id>')
    .description('one delivery with every attempt')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const delivery = await context
        .api()
        .get<Record<string, unknown> & { attempts?: Record<string, unknown>[] }>(
          context.path(`/deliveries/${encodeURIComponent(id)}`),
        );
      context.print(delivery, () => {
        const { attempts = [], payload, ...summary } = delivery;
        const lines = [renderRecord(summary, context.colors)];
        if (payload !== undefined) lines.push('', context.colors.bold('payload'), String(payload ?? '-'));
        if (attempts.length > 0) {
          lines.push(
            '',
            context.colors.bold('attempts'),
            renderTable(ATTEMPT_COLUMNS, attempts, context.colors),
          );
        }
        return lines.join('\n');
      });
    });

  withFilters(
    deliveries.command('tail').description('follow new deliveries and their attempts live (Ctrl-C stops)'),
  )
    .option('--interval <ms>', 'how often to poll', '1000')
    .option('--window <seconds>', 'how far back each poll looks for new or changed deliveries', '60')
    .action(async (options: ListFlags & { interval: string; window: string }, command: Command) => {
      const context = CliContext.of(command);
      const intervalMs = positive('--interval', options.interval);
      const windowMs = positive('--window', options.window) * 1000;
      await runTail(context, {
        intervalMs,
        windowMs,
        filters: {
          endpointId: options.endpoint,
          status: options.status,
          eventType: options.eventType,
          test: options.test,
        },
      });
    });

  program
    .command('retry <delivery>')
    .description('send one delivery again now, with its stored payload')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const path = context.path(`/deliveries/${encodeURIComponent(id)}/retry`);
      const accepted = await context.api().request<{ deliveryId: string; attempt: number }>('POST', path);
      context.print(
        accepted,
        () => `retry of ${accepted.deliveryId} requested as attempt ${accepted.attempt}`,
      );
    });
}

const ATTEMPT_COLUMNS = [
  { header: '#', value: (a: Record<string, unknown>) => a.attempt },
  { header: 'started', value: (a: Record<string, unknown>) => clock(a.startedAt as string) },
  { header: 'outcome', value: (a: Record<string, unknown>) => a.outcome },
  {
    header: 'status',
    value: (a: Record<string, unknown>) => (a.response as { status?: number } | null)?.status,
  },
  { header: 'ms', value: (a: Record<string, unknown>) => a.durationMs },
  { header: 'error', value: (a: Record<string, unknown>) => a.errorClass ?? a.errorMessage },
];

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new CliError(`${flag} must be a positive number`, ExitCode.Usage);
  return value;
}
