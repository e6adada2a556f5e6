/** One benchmark scenario; `npm run bench` runs them all and prints a Markdown table (or --json). */
export interface BenchScenario {
  name: string;
  /** Numbers to report, keyed by metric name (units in the name: `p99_us`, `per_s`, `rss_mb`). */
  run(options: { quick: boolean }): Promise<Record<string, number | string>>;
}
