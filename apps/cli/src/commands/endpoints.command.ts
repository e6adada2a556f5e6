import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import type { Column } from '../output/format';
import { endpointBody, type EndpointFlags } from './endpoint-body';

interface EndpointRow {
  id: string;
  url: string;
  eventTypes: string[];
  disabled: boolean;
  version: number;
  productProfile: string | null;
  description: string | null;
}

const COLUMNS: Column<EndpointRow>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'url', value: (e) => e.url },
  { header: 'event types', value: (e) => e.eventTypes },
  { header: 'state', value: (e) => (e.disabled ? 'disabled' : 'enabled') },
  { header: 'version', value: (e) => e.version },
  { header: 'profile', value: (e) => e.productProfile },
  { header: 'description', value: (e) => e.description },
];

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withEndpointFlags(command: Command): Command {
  return command
    .option(
      '--event-types <types>',
      'comma-separated catalogue types or wildcards, e.g. message.*,lead.created',
    )
    .option('--description <text>')
    .option('--filter <json>', 'filter document, e.g. {"data.communicationType":"sms"}')
    .option('--product-profile <name>', 'guddesk, messagedesk, messages-dev or nexadesk')
    .option('--payload-profile <name>')
    .option('--signature-scheme <scheme>')
    .option('--timeout-ms <ms>')
    .option('--retry-schedule <delays>', 'comma-separated delays, e.g. 5s,5m,30m')
    .option('--header <name=value>', 'custom header (repeatable)', collect)
    .addOption(new Option('--fifo', 'deliver in order, one at a time'))
    .addOption(new Option('--disabled', 'create or set disabled'))
    .addOption(new Option('--enabled', 'set enabled').conflicts('disabled'))
    .option('--body <json>', 'any other fields, as a JSON object (the flags above win)');
}

function flagsOf(options: EndpointFlags & { enabled?: boolean }): EndpointFlags {
  return { ...options, disabled: options.enabled ? false : options.disabled };
}

export function registerEndpoints(program: Command): void {
  const endpoints = program.command('endpoints').description('list, create, change and test endpoints');

  endpoints
    .command('list')
    .description("the workspace's endpoints")
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'nextCursor of the previous page')
    .action(async (options: { limit?: string; cursor?: string }, command: Command) => {
      const context = CliContext.of(command);
      const page = await context
        .api()
        .get<{ data: EndpointRow[]; nextCursor?: string | null }>(context.path('/endpoints'), options);
      context.table(page, COLUMNS, page.data);
      if (!context.json && page.nextCursor) context.line(`more: --cursor ${page.nextCursor}`);
    });

  endpoints
    .command('get <id>')
    .description('one endpoint, every setting')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      context.record(await context.api().get(context.path(`/endpoints/${encodeURIComponent(id)}`)));
    });

  withEndpointFlags(endpoints.command('create').description('create an endpoint (its secret is shown once)'))
    .requiredOption('--url <url>', 'where deliveries are POSTed')
    .option('--test', 'send a signed test event after creating')
    .action(async (options: EndpointFlags & { enabled?: boolean; test?: boolean }, command: Command) => {
      const context = CliContext.of(command);
      const { test, ...flags } = options;
      const body = endpointBody(flagsOf(flags));
      if (test) body.test = true;
      context.record(await context.api().request('POST', context.path('/endpoints'), { body }));
    });

  withEndpointFlags(endpoints.command('update <id>').description('change the settings given, keep the rest'))
    .option('--url <url>')
    .action(async (id: string, options: EndpointFlags & { enabled?: boolean }, command: Command) => {
      const context = CliContext.of(command);
      const body = endpointBody(flagsOf(options));
      const path = context.path(`/endpoints/${encodeURIComponent(id)}`);
      context.record(await context.api().request('PATCH', path, { body }));
    });

  endpoints
    .command('delete <id>')
    .description('delete an endpoint (its deliveries stay in the log)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      await context.api().request('DELETE', context.path(`/endpoints/${encodeURIComponent(id)}`));
      context.print({ id, deleted: true }, () => `deleted endpoint ${id}`);
    });

  endpoints
    .command('test <id>')
    .description('send a signed test event now and show what the receiver answered')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const path = context.path(`/endpoints/${encodeURIComponent(id)}/test`);
      context.record(await context.api().request('POST', path));
    });

  endpoints
    .command('rotate-secret <id>')
    .description('rotate the signing secret; the previous one keeps signing for the grace period')
    .option('--grace-period <duration>', 'e.g. 24h or 0s')
    .option('--secret <secret>', 'bring your own new secret instead of a generated one')
    .action(async (id: string, options: { gracePeriod?: string; secret?: string }, command: Command) => {
      const context = CliContext.of(command);
      const path = context.path(`/endpoints/${encodeURIComponent(id)}/secret/rotate`);
      context.record(await context.api().request('POST', path, { body: options }));
    });
}
