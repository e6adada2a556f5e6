/** One benchmark scenario; `npm run bench` runs them all and prints a Markdown table (or --json). */
export interface BenchScenario {
  name: string;
  /** Numbers to report, keyed by metric name (units in the name: `p99_us`, `per_s`, `rss_mb`). */
  run(options: { quick: boolean }): Promise<Record<string, number | string>>;
}

/** Runs one scenario as its own command (`node dist/bench/src/<name>.bench.js [--quick]`), printing JSON. */
export function runStandalone(scenario: BenchScenario): void {
  scenario
    .run({ quick: process.argv.includes('--quick') })
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    });
}
