import 'reflect-metadata';
import { WebhookReceiver, startTestEnvironment, testKafkaClient } from '@herald/testing';
import { runHeraldBurst } from './herald-burst';

/*
 * Settings' values compared in one run, as ratios to the first variant: the same broker, Postgres and
 * receiver serve every variant, and rounds alternate the order, so the machine's drift falls on all of
 * them; an unmeasured burst warms the broker up first. The settings reach every Herald service:
 * `node dist/bench/src/settings-compare.js [--events=5000] [--rounds=2] NAME=base,other,... [NAME2=...]`
 * (e.g. HERALD_DISPATCH_OUTPUT_LINGER=50ms,0ms,5ms). With several NAME=... arguments, each needs the
 * same number of values and variant i sets every one to its i-th value, so a whole set of defaults
 * can be compared with another (KAFKA_FETCH_MIN_BYTES=16384,1 KAFKA_FETCH_GATHER_MAX_WAIT=0ms,20ms).
 */
interface Variant {
  /** The values, joined with `/` when several settings vary. */
  value: string;
  env: Record<string, string>;
}

function parseArgs(): { name: string; variants: Variant[]; events: number; rounds: number; json: boolean } {
  const args = process.argv.slice(2);
  const option = (flag: string, fallback: number) =>
    Number(args.find((a) => a.startsWith(`--${flag}=`))?.split('=')[1] ?? fallback);
  const settings = args
    .filter((a) => !a.startsWith('--') && a.includes('='))
    .map((a) => {
      const at = a.indexOf('=');
      return { name: a.slice(0, at), values: a.slice(at + 1).split(',') };
    });
  if (settings.length === 0)
    throw new Error(
      'usage: settings-compare [--events=N] [--rounds=N] [--json] NAME=base,other,... [NAME2=...]',
    );
  const count = settings[0].values.length;
  if (count < 2) throw new Error(`${settings[0].name}: give at least two values to compare`);
  for (const { name, values } of settings)
    if (values.length !== count) throw new Error(`${name}: give ${count} values, one per variant`);
  const variants = Array.from({ length: count }, (_, i) => ({
    value: settings.map((setting) => setting.values[i]).join('/'),
    env: Object.fromEntries(settings.map((setting) => [setting.name, setting.values[i]])),
  }));
  return {
    name: settings.map((setting) => setting.name).join('/'),
    variants,
    events: option('events', 5_000),
    rounds: option('rounds', 2),
    json: args.includes('--json'),
  };
}

async function main(): Promise<void> {
  const { name, variants, events, rounds, json } = parseArgs();
  const values = variants.map((variant) => variant.value);
  const envOf = (value: string) => variants.find((variant) => variant.value === value)!.env;
  const env = await startTestEnvironment({ partitions: 8 });
  const receiver = await WebhookReceiver.start();
  const kafka = testKafkaClient(env.kafkaBrokers, 'bench-compare');
  const producer = kafka.producer();
  await producer.connect();
  const runs: { value: string; round: number; metrics: Record<string, number | string> }[] = [];
  try {
    // An unmeasured burst first: a fresh broker JVM's warm-up would otherwise fall on the first value.
    process.stderr.write(`compare: warm-up burst, ${name}=${values[0]}\n`);
    const warmUp = await runHeraldBurst({
      env,
      kafka,
      producer,
      receiver,
      total: Math.min(events, 2_000),
      label: 'warmup',
      serviceEnv: envOf(values[0]),
    });
    await warmUp.stop();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? values : [...values].reverse();
      for (const value of order) {
        process.stderr.write(`compare: ${name}=${value}, round ${round + 1}/${rounds}, ${events} events\n`);
        const burst = await runHeraldBurst({
          env,
          kafka,
          producer,
          receiver,
          total: events,
          label: `r${round}-${value.replace(/[^a-z0-9]/gi, '')}`,
          serviceEnv: envOf(value),
        });
        await burst.stop();
        const metrics = { ...burst.metrics };
        const cpu = Object.entries(metrics).filter(
          ([k, v]) => k.startsWith('cpu_ms_') && typeof v === 'number',
        );
        metrics.cpu_ms_per_delivery_total = Number(
          cpu.reduce((sum, [, v]) => sum + (v as number), 0).toFixed(3),
        );
        runs.push({ value, round, metrics });
      }
    }
  } finally {
    await producer.disconnect();
    await receiver.stop();
    await env.stop();
  }
  const mean = (value: string, metric: string): number | string => {
    const seen = runs.filter((r) => r.value === value).map((r) => r.metrics[metric]);
    if (seen.some((v) => typeof v !== 'number')) return seen[0];
    return Number(((seen as number[]).reduce((a, b) => a + b, 0) / seen.length).toFixed(3));
  };
  const metrics = Object.keys(runs[0].metrics);
  if (json) {
    process.stdout.write(`${JSON.stringify({ setting: name, values, events, rounds, runs })}\n`);
    return;
  }
  const [base, ...others] = values;
  const header = [`${name}=${base}`, ...others.flatMap((v) => [`=${v}`, `${v} / ${base}`])];
  process.stdout.write(`\n${events} events, ${rounds} round(s), mean per value\n\n`);
  process.stdout.write(`| metric | ${header.join(' | ')} |\n|---|${header.map(() => '---|').join('')}\n`);
  for (const metric of metrics) {
    const baseValue = mean(base, metric);
    const cells = [String(baseValue)];
    for (const value of others) {
      const other = mean(value, metric);
      const ratio =
        typeof other === 'number' && typeof baseValue === 'number' && baseValue !== 0
          ? (other / baseValue).toFixed(2)
          : '-';
      cells.push(String(other), ratio);
    }
    process.stdout.write(`| ${metric} | ${cells.join(' | ')} |\n`);
  }
  process.stdout.write(`\nper run:\n`);
  for (const run of runs)
    process.stdout.write(`${name}=${run.value} round ${run.round + 1}: ${JSON.stringify(run.metrics)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
