import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchScenario } from './bench-scenario';

/** Scenario modules, in the order they run. A missing module is reported, not skipped silently. */
const SCENARIOS = [
  'throughput',
  'projector',
  'matching',
  'fanout',
  'retry',
  'drain',
  'log-size',
  'scale-out',
];

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const quick = process.argv.includes('--quick');
  const only = process.argv
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const results: Record<string, Record<string, number | string>> = {};
  for (const name of SCENARIOS.filter((s) => !only || only.includes(s))) {
    const file = join(__dirname, `${name}.bench.js`);
    if (!existsSync(file)) {
      results[name] = { error: 'scenario module missing' };
      continue;
    }
    const { scenario } = require(file) as { scenario: BenchScenario };
    if (!json) process.stderr.write(`bench: running ${scenario.name}${quick ? ' (quick)' : ''}...\n`);
    try {
      results[scenario.name] = await scenario.run({ quick });
    } catch (error) {
      results[scenario.name] = { error: (error as Error).message };
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, quick, results })}\n`);
    return;
  }
  process.stdout.write(`\n| scenario | metric | value |\n|---|---|---|\n`);
  for (const [name, metrics] of Object.entries(results)) {
    for (const [metric, value] of Object.entries(metrics))
      process.stdout.write(`| ${name} | ${metric} | ${value} |\n`);
  }
  const failed = Object.values(results).some((metrics) => 'error' in metrics);
  process.exitCode = failed ? 1 : 0;
}

void main();
