import type { Command } from 'commander';
import { CliContext } from '../cli-context';
import { hasProblems, type Finding } from '../doctor/doctor-findings';
import { renderFindings } from '../doctor/doctor-findings';
import { CliError, ExitCode } from '../output/exit-codes';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check Kafka, the topics, consumer lag, Postgres and migrations, and every service; say how to fix what is wrong',
    )
    .option(
      '--service <url>',
      'another service to check /health/ready on (repeatable; the API is always checked)',
      collect,
    )
    .option('--max-lag <records>', 'consumer lag above this is a problem', '10000')
    .option('--timeout <ms>', 'how long each check may take', '5000')
    .action(async (options: { service?: string[]; maxLag: string; timeout: string }, command: Command) => {
      const context = CliContext.of(command);
      const settings = context.settings;
      const maxLag = Number(options.maxLag);
      const timeoutMs = Number(options.timeout);
      if (!Number.isInteger(maxLag) || maxLag < 0)
        throw new CliError('--max-lag must be a whole number', ExitCode.Usage);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
        throw new CliError('--timeout must be positive (ms)', ExitCode.Usage);
      const fromEnv = (process.env.HERALD_SERVICE_URLS ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      const serviceUrls = [
        ...new Set(
          [settings.apiUrl, ...fromEnv, ...(options.service ?? [])]
            .filter((u): u is string => Boolean(u))
            .map((u) => u.replace(/\/+$/, '')),
        ),
      ];
      const doctor = {
        brokers: settings.kafkaBrokers,
        databaseUrl: settings.databaseUrl,
        adminToken: settings.adminToken,
        serviceUrls,
        maxLag,
        timeoutMs,
        env: process.env,
      };
      // Loaded only here: Kafka, pg and TypeORM would slow every other command's start.
      const { kafkaFindings, postgresFindings, serviceFindings } = await import('../doctor/doctor.checks');
      const results = await Promise.all([
        kafkaFindings(doctor),
        postgresFindings(doctor),
        serviceFindings(doctor),
      ]);
      const findings: Finding[] = results.flat();
      const colors = context.colors;
      context.print({ ok: !hasProblems(findings), findings }, () =>
        renderFindings(findings, (status, text) =>
          status === 'ok' ? colors.green(text) : status === 'warn' ? colors.yellow(text) : colors.red(text),
        ),
      );
      if (hasProblems(findings)) {
        const failed = findings.filter((finding) => finding.status === 'fail').length;
        throw new CliError(`doctor found ${failed} problem(s)`, ExitCode.Problems);
      }
    });
}
