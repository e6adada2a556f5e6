import type { Command } from 'commander';
import { CliContext } from '../cli-context';
import { followJob } from '../jobs/job-follower';
import type { JobSnapshot } from '../jobs/job-progress';
import { resolveTimeFlag } from '../jobs/time-flags';
import { CliError, ExitCode } from '../output/exit-codes';

interface StartFlags {
  since: string;
  until?: string;
  timeLimit?: string;
  interval: string;
  wait: boolean;
}

function interval(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 50)
    throw new CliError('--interval must be at least 50 (ms)', ExitCode.Usage);
  return ms;
}

/** Starts a recover or backfill job and, unless --no-wait, follows it to the end. */
async function startJob(kind: 'recover' | 'backfill', endpoint: string, flags: StartFlags, command: Command) {
  const context = CliContext.of(command);
  const now = new Date();
  const body: Record<string, string> = { since: resolveTimeFlag('--since', flags.since, now) };
  if (flags.until !== undefined) body.until = resolveTimeFlag('--until', flags.until, now);
  if (flags.timeLimit !== undefined) body.timeLimit = flags.timeLimit;
  const api = context.api();
  const path = context.path(`/endpoints/${encodeURIComponent(endpoint)}/${kind}`);
  const job = await api.request<JobSnapshot>('POST', path, { body });
  if (!flags.wait) {
    context.print(job, () => `${kind} ${job.id} started; watch it with: herald jobs watch ${job.id}`);
    return;
  }
  await followJob(context, api, job, interval(flags.interval));
}

export function registerJobs(program: Command): void {
  program
    .command('recover <endpoint>')
    .description("send an endpoint's failed deliveries in a window again, showing progress to the end")
    .requiredOption('--since <time>', 'ISO-8601, or a duration back from now such as 2h')
    .option('--until <time>', 'ISO-8601, or a duration back from now')
    .option('--time-limit <duration>', 'end the job as timed_out after this long, e.g. 5m')
    .option('--interval <ms>', 'how often to poll the job', '500')
    .option('--no-wait', 'start the job and return at once')
    .action((endpoint: string, flags: StartFlags, command: Command) =>
      startJob('recover', endpoint, flags, command),
    );

  program
    .command('backfill <endpoint>')
    .description(
      'deliver to an endpoint the events still in the domain topics since a time, showing progress',
    )
    .requiredOption('--since <time>', 'ISO-8601, or a duration back from now such as 1d')
    .option('--time-limit <duration>', 'end the job as timed_out after this long, e.g. 5m')
    .option('--interval <ms>', 'how often to poll the job', '500')
    .option('--no-wait', 'start the job and return at once')
    .action((endpoint: string, flags: StartFlags, command: Command) =>
      startJob('backfill', endpoint, flags, command),
    );

  const jobs = program.command('jobs').description('backfill, recover and purge jobs');

  jobs
    .command('list')
    .description('the most recent jobs, newest first')
    .option('--limit <n>', 'how many')
    .action(async (options: { limit?: string }, command: Command) => {
      const context = CliContext.of(command);
      const page = await context.api().get<{ data: JobSnapshot[] }>(context.path('/jobs'), options);
      context.table(
        page,
        [
          { header: 'id', value: (j: JobSnapshot) => j.id },
          { header: 'kind', value: (j) => j.kind },
          { header: 'state', value: (j) => j.state },
          { header: 'endpoint', value: (j) => j.endpointId },
          { header: 'processed', value: (j) => `${j.processed}/${j.total ?? '?'}` },
          { header: 'produced', value: (j) => j.produced },
        ],
        page.data,
      );
    });

  jobs
    .command('get <id>')
    .description('one job and its counts')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      context.record(await context.api().get(context.path(`/jobs/${encodeURIComponent(id)}`)));
    });

  jobs
    .command('watch <id>')
    .description('follow a running job to its end, with progress')
    .option('--interval <ms>', 'how often to poll the job', '500')
    .action(async (id: string, options: { interval: string }, command: Command) => {
      const context = CliContext.of(command);
      const api = context.api();
      const job = await api.get<JobSnapshot>(context.path(`/jobs/${encodeURIComponent(id)}`));
      await followJob(context, api, job, interval(options.interval));
    });

  jobs
    .command('cancel <id>')
    .description('stop a running job (its progress is kept)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const path = context.path(`/jobs/${encodeURIComponent(id)}/cancel`);
      context.record(await context.api().request('POST', path));
    });
}
