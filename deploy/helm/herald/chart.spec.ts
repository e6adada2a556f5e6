/**
 * Checks of the deployment files that run without helm or Docker:
 * - values.yaml and every examples/*.values.yaml (merged over values.yaml, as helm does) satisfy
 *   values.schema.json, and the schema rejects bad values;
 * - every plain YAML file under deploy/ parses in strict mode with no error or warning;
 * - every variable an application env schema (*.env.ts) requires is set somewhere in the chart,
 *   and every variable the chart sets is one an application reads (or a listed exception);
 * - chart defaults agree with application defaults, tier retention outlives tier delays;
 * - the compose file and the Dockerfile hold together (services, build context, entry points).
 * When a helm binary is available (HELM_BIN or `helm` on PATH) it also runs helm lint and
 * helm template over every example and a set of values that must fail to render.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const chartDir = __dirname;
const deployDir = resolve(chartDir, '..', '..');
const repoRoot = resolve(deployDir, '..');

type Values = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function walk(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...walk(path, accept));
    else if (accept(path)) found.push(path);
  }
  return found.sort();
}

const rel = (path: string) => relative(repoRoot, path);

/** Parses every document of a YAML file in strict mode; throws on any error or warning. */
function parseYamlStrict(path: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), {
    strict: true,
    uniqueKeys: true,
    merge: true,
    prettyErrors: true,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const problems = list.flatMap((doc) => [...doc.errors, ...doc.warnings]).map((e) => e.message);
  if (problems.length > 0) throw new Error(`${rel(path)}:\n${problems.join('\n')}`);
  return list.map((doc) => doc.toJS({ maxAliasCount: 100 }));
}

function loadValues(path: string): Values {
  const [doc] = parseYamlStrict(path);
  return (doc ?? {}) as Values;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Helm's merge of user values over chart defaults: maps merge, anything else replaces, null deletes. */
function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key]))
      out[key] = mergeValues(out[key] as Values, value);
    else out[key] = value;
  }
  return out;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
}
function durationLabel(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as Record<string, Json>;
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);
const defaults = loadValues(join(chartDir, 'values.yaml'));
const exampleFiles = walk(join(chartDir, 'examples'), (p) => /\.ya?ml$/.test(p));

function schemaErrors(values: Values): string[] {
  return validate(values)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
}

/** The templates (helpers included): where variables are actually set. */
const templateText = walk(join(chartDir, 'templates'), () => true)
  .map((p) => readFileSync(p, 'utf8'))
  .join('\n');
/** All text helm renders from: templates and values. */
const chartText = `${templateText}\n${readFileSync(join(chartDir, 'values.yaml'), 'utf8')}`;

describe('values.schema.json', () => {
  it('is a draft-07 schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('accepts values.yaml', () => {
    expect(schemaErrors(defaults)).toEqual([]);
  });

  it('has example override files', () => {
    expect(exampleFiles.map((p) => basename(p))).toEqual(
      expect.arrayContaining(['production.values.yaml', 'existing-secret.values.yaml']),
    );
  });

  it.each(exampleFiles.map((p) => [basename(p), p]))('accepts %s merged over values.yaml', (_name, path) => {
    const example = loadValues(path);
    expect(Object.keys(example).length).toBeGreaterThan(0);
    expect(schemaErrors(mergeValues(defaults, example))).toEqual([]);
  });

  it.each<[string, Values]>([
    ['an unknown top-level key', { dispatchr: { replicaCount: 1 } }],
    ['an unknown SASL mechanism', { kafka: { sasl: { mechanism: 'oauthbearer', username: 'u' } } }],
    ['an empty broker list', { kafka: { brokers: [] } }],
    ['a master key that is not 32 bytes of base64', { secrets: { masterKey: 'c2hvcnQ=' } }],
    ['an admin token shorter than 16 characters', { secrets: { adminToken: 'short' } }],
    ['a database URL that is not postgres', { secrets: { databaseUrl: 'mysql://x' } }],
    ['a retry tier that is not a duration', { retry: { tiers: ['5s', 'soon'] } }],
    ['zero partitions', { topics: { deliveries: { partitions: 0, cleanupPolicy: 'delete' } } }],
    [
      'a cleanup policy Kafka does not know',
      { topics: { attempts: { partitions: 3, cleanupPolicy: 'forever' } } },
    ],
    ['a sampler ratio above 1', { otel: { samplerArg: 1.5 } }],
    ['a dispatcher concurrency of 0', { dispatcher: { globalConcurrency: 0 } }],
    ['a workspace concurrency of 0', { dispatcher: { workspaceConcurrency: 0 } }],
    ['an endpoint maxInFlight ceiling of 0', { api: { maxInFlightPerEndpoint: 0 } }],
    ['a filter regex cost below 25', { api: { maxFilterRegexCost: 10 } }],
    ['a portal link lifetime below a minute', { api: { portalMaxTtlSeconds: 30 } }],
    [
      'a trace URL template without {traceId}',
      { api: { traceUrlTemplate: 'https://jaeger.example.com/trace' } },
    ],
    ['a body retention of 0 days', { retention: { bodiesDays: 0 } }],
    ['a retention interval of 0', { retention: { interval: '0s' } }],
    ['an unknown retention setting', { retention: { forever: true } }],
    ['a dispatcher default timeout above 30s', { dispatcher: { defaultTimeout: '45s' } }],
    [
      'a dispatcher auto-disable delay that is not a duration',
      { dispatcher: { autoDisableAfter: 'a week' } },
    ],
    ['a breaker failure rate of 0', { dispatcher: { breaker: { failureRate: 0 } } }],
    ['an unknown breaker setting', { dispatcher: { breaker: { threshold: 5 } } }],
    ['a router event limit below 1 KiB', { router: { maxEventBytes: 512 } }],
    ['a stall timeout under a second', { kafka: { stallTimeoutMs: 500 } }],
    ['a non-CIDR egress allowance', { egressAllowCidrs: ['10.0.0.1'] }],
    ['a non-CIDR workspace egress range', { workspaceEgressCidrs: ['partner.example.com'] }],
    ['a zero delay in the retry schedule', { retry: { schedule: ['0s', '5s'] } }],
    ['an unknown log level', { logLevel: 'verbose' }],
    ['an internal port of 0', { internalPort: 0 }],
    ['an unknown internal access', { internalAccess: 'public' }],
  ])('rejects %s', (_what, override) => {
    expect(schemaErrors(mergeValues(defaults, override)).length).toBeGreaterThan(0);
  });
});

describe('topic settings in values.yaml and the examples', () => {
  const cases = [
    ['values.yaml', defaults] as const,
    ...exampleFiles.map((p) => [basename(p), mergeValues(defaults, loadValues(p))] as const),
  ];

  it.each(cases)('%s: every retry tier topic keeps records at least twice its delay', (_name, values) => {
    const retry = values.retry as { tiers: string[] };
    const tiers = (values.topics as Values).retryTiers as {
      retention: string;
      overrides?: Record<string, { retention?: string }>;
    };
    for (const tier of retry.tiers) {
      const delay = durationMs(tier);
      const override = tiers.overrides?.[durationLabel(delay)] ?? tiers.overrides?.[tier];
      const retention = durationMs(override?.retention ?? tiers.retention);
      expect({ tier, ok: retention >= 2 * delay }).toEqual({ tier, ok: true });
    }
  });

  it.each(cases)('%s: herald.subscriptions is compacted and never deleted by age', (_name, values) => {
    const policy = ((values.topics as Values).subscriptions as { cleanupPolicy: string }).cleanupPolicy.split(
      ',',
    );
    expect(policy).toContain('compact');
    expect(policy).not.toContain('delete');
  });
});

describe('YAML files under deploy/', () => {
  // Helm templates are Go templates, not YAML, until rendered.
  const files = walk(deployDir, (p) => /\.ya?ml$/.test(p) && !p.includes(`${join('herald', 'templates')}`));

  it('finds the chart, example and compose files', () => {
    const names = files.map(rel);
    expect(names).toEqual(
      expect.arrayContaining([
        'deploy/helm/herald/Chart.yaml',
        'deploy/helm/herald/values.yaml',
        'deploy/compose/compose.yaml',
      ]),
    );
  });

  it.each(files.map((p) => [rel(p), p]))(
    '%s parses strictly (unique keys, no errors or warnings)',
    (_name, path) => {
      const docs = parseYamlStrict(path);
      expect(docs.length).toBeGreaterThan(0);
    },
  );

  it('Chart.yaml is a v2 application chart with a version and appVersion', () => {
    const chart = loadValues(join(chartDir, 'Chart.yaml'));
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'herald', type: 'application' });
    expect(String(chart.version)).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof chart.appVersion).toBe('string');
  });
});

/** Apps that are never deployed: their env schemas are not the chart's concern. */
const NOT_DEPLOYED = ['apps/dev/', 'libs/testing/'];

interface EnvVariable {
  name: string;
  required: boolean;
  file: string;
  schema: z.ZodType;
}

function envFiles(): string[] {
  return [
    ...walk(join(repoRoot, 'apps'), (p) => p.endsWith('.env.ts')),
    ...walk(join(repoRoot, 'libs'), (p) => p.endsWith('.env.ts')),
  ].filter((p) => !NOT_DEPLOYED.some((prefix) => rel(p).startsWith(prefix)));
}

/** Every zod object an env file exports. */
function collectEnvSchemaObjects(): { file: string; schema: z.ZodObject }[] {
  const found: { file: string; schema: z.ZodObject }[] = [];
  for (const file of envFiles()) {
    const exported = require(file) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (value instanceof z.ZodObject) found.push({ file: rel(file), schema: value });
    }
  }
  return found;
}

function collectEnvSchemas(): { files: string[]; variables: EnvVariable[] } {
  const variables: EnvVariable[] = [];
  for (const { file, schema } of collectEnvSchemaObjects()) {
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      variables.push({ name, required: field.safeParse(undefined).success === false, file, schema: field });
    }
  }
  return { files: envFiles(), variables };
}

describe('environment variables: chart against the applications', () => {
  const { files, variables } = collectEnvSchemas();
  const mentioned = (name: string) => new RegExp(`\\b${name}\\b`).test(templateText);

  it('finds the variables the applications require', () => {
    const required = new Set(variables.filter((v) => v.required).map((v) => v.name));
    for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'HERALD_MASTER_KEY', 'HERALD_ADMIN_TOKEN']) {
      expect({ name, required: required.has(name) }).toEqual({ name, required: true });
    }
  });

  it('exposes every dispatcher setting', () => {
    const dispatcher = variables.filter((v) => v.file === 'apps/dispatcher/src/dispatcher.env.ts');
    expect(dispatcher.length).toBeGreaterThan(5);
    const missing = dispatcher.filter((v) => !mentioned(v.name)).map((v) => v.name);
    expect(missing).toEqual([]);
  });

  it('sets every variable an application env schema requires', () => {
    const required = variables.filter((v) => v.required);
    if (files.length > 0) expect(variables.length).toBeGreaterThan(0);
    const missing = required.filter((v) => !mentioned(v.name)).map((v) => `${v.name} (${v.file})`);
    expect(missing).toEqual([]);
  });

  it('sets only variables some application reads', () => {
    // Read by something other than an application env schema.
    const notAppSchema = new Set([
      'OTEL_RESOURCE_ATTRIBUTES', // read by the OpenTelemetry SDK itself
    ]);
    const declared = new Set(variables.map((v) => v.name));
    const set = new Set(
      [...chartText.matchAll(/\b(?:HERALD|KAFKA|DATABASE|OTEL)_[A-Z0-9_]+\b/g)].map((m) => m[0]),
    );
    expect(set.size).toBeGreaterThan(10);
    const unknown = [...set].filter((name) => !declared.has(name) && !notAppSchema.has(name));
    expect(unknown).toEqual([]);
  });

  it('uses the same defaults as the applications for retry delays and domain topics', () => {
    const checks: [string, unknown][] = [
      ['HERALD_RETRY_TIERS', (defaults.retry as Values).tiers],
      ['HERALD_RETRY_SCHEDULE', (defaults.retry as Values).schedule],
      ['HERALD_DOMAIN_TOPICS', defaults.domainTopics],
    ];
    for (const [name, chartValue] of checks) {
      for (const variable of variables.filter((v) => v.name === name)) {
        const appDefault = variable.schema.parse(undefined) as unknown[];
        const toMs = (list: unknown[]) =>
          list.map((x) => (typeof x === 'number' ? x : durationMs(String(x))));
        const normalise = (list: unknown[]) =>
          name === 'HERALD_RETRY_TIERS'
            ? [...new Set(toMs(list))].sort((a, b) => a - b)
            : name === 'HERALD_RETRY_SCHEDULE'
              ? toMs(list)
              : list;
        expect({ name, file: variable.file, value: normalise(chartValue as unknown[]) }).toEqual({
          name,
          file: variable.file,
          value: normalise(appDefault),
        });
      }
    }
  });
});

interface ChartValues {
  mode: string;
  logLevel: string;
  httpPort: number;
  internalPort?: number | null;
  internalAccess?: string;
  kafka: {
    brokers: string[];
    clientId: string;
    tls: { enabled: boolean };
    sasl: { mechanism: string; username: string };
    stallTimeoutMs?: number | null;
    stallCheckIntervalMs?: number | null;
  };
  database: { ssl: boolean };
  secrets: Record<
    | 'existingSecret'
    | 'masterKey'
    | 'previousMasterKeys'
    | 'adminToken'
    | 'databaseUrl'
    | 'kafkaSaslPassword',
    string
  >;
  otel: { endpoint: string; samplerArg: string | number };
  retry: { schedule: string[]; tiers: string[] };
  domainTopics: string[];
  egressAllowCidrs: string[];
  workspaceEgressCidrs: string[];
  api: Record<string, unknown>;
  router: { maxEventBytes?: number | null; dedupeWindow?: string; catchUpTimeout?: string };
  dispatcher: Record<string, unknown> & { breaker?: Record<string, unknown> | null };
  topics: ChartTopics;
  retention: {
    recordsDays: number;
    bodiesDays: number;
    minDays: number;
    maxDays: number;
    partitionsAheadDays: number;
    interval: string;
  };
}

type TopicConfig = Record<string, string | number | boolean>;
interface ChartTopic {
  partitions: number;
  cleanupPolicy?: string;
  retention?: string;
  config?: TopicConfig;
}
interface ChartTopics extends Record<string, unknown> {
  create: boolean;
  replicationFactor: number;
  config?: TopicConfig;
  retryTiers: ChartTopic & { overrides?: Record<string, Partial<ChartTopic>> };
  domain: ChartTopic & { create: boolean };
}

/** Values key -> topic name, as templates/_helpers.tpl maps them (herald.topicNames). */
function chartTopicNames(): Record<string, string> {
  const define = /define "herald\.topicNames"[\s\S]*?\(dict ((?:"[^"]+" ?)+)\)/.exec(templateText);
  if (!define) throw new Error('herald.topicNames not found in the templates');
  const words = [...define[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return Object.fromEntries(words.flatMap((word, i) => (i % 2 === 0 ? [[word, words[i + 1]]] : [])));
}

/** helm's herald.str, for the numbers, booleans and strings values hold. */
const str = (value: unknown) => String(value);

/** herald.replayRetentionMs: max(retention.recordsDays, retention.maxDays) days. */
const replayRetentionMs = (values: ChartValues) =>
  Math.max(values.retention.recordsDays, values.retention.maxDays) * 86_400_000;

/**
 * The HERALD_TOPIC_SPECS list the create-topics job gets, built as herald.topicSpecs and
 * herald.topicConfig in templates/_helpers.tpl build it.
 */
function chartTopicSpecs(values: ChartValues): unknown[] {
  const t = values.topics;
  const config = (spec: Partial<ChartTopic>, policy: string | undefined) => {
    const entries: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...t.config, ...spec.config })) entries[name] = str(value);
    if (policy) entries['cleanup.policy'] = policy;
    if (spec.retention) entries['retention.ms'] = String(durationMs(spec.retention));
    return entries;
  };
  const item = (topic: string, spec: Partial<ChartTopic>, policy: string | undefined) => ({
    topic,
    partitions: spec.partitions,
    replicationFactor: t.replicationFactor,
    configEntries: config(spec, policy),
  });
  // herald.replayFloor: the topics a rebuild or backfill reads keep at least replayRetentionMs.
  const floor = replayRetentionMs(values);
  const floored = (spec: ReturnType<typeof item>) => {
    const have = Number(spec.configEntries['retention.ms'] ?? 0);
    if (have >= 0 && have < floor) spec.configEntries['retention.ms'] = String(floor);
    return spec;
  };
  const names = chartTopicNames();
  const specs = Object.keys(names)
    .sort()
    .map((key) => {
      const spec = t[key] as ChartTopic;
      const rendered = item(names[key], spec, spec.cleanupPolicy);
      return ['deliveries', 'attempts', 'operational'].includes(key) ? floored(rendered) : rendered;
    });
  const { overrides = {}, ...tierDefaults } = t.retryTiers;
  for (const tier of values.retry.tiers) {
    const label = durationLabel(durationMs(tier));
    const override = overrides[label] ?? overrides[tier] ?? {};
    const spec = { ...tierDefaults, ...override, config: { ...tierDefaults.config, ...override.config } };
    specs.push(item(`herald.retry.${label}`, spec, 'delete'));
  }
  if (t.domain.create) {
    for (const topic of values.domainTopics) specs.push(floored(item(topic, t.domain, 'delete')));
  }
  return specs;
}

/**
 * The variables the templates derive from values (see herald.commonConfig and herald.serviceEnv
 * in templates/_helpers.tpl), for the settings whose format the applications check. Secrets held
 * in an existingSecret are unknown here and left out.
 */
function chartEnv(values: ChartValues): Record<string, string> {
  const env: Record<string, string> = {
    KAFKA_BROKERS: values.kafka.brokers.join(','),
    KAFKA_CLIENT_ID: values.kafka.clientId,
    KAFKA_SSL: String(values.kafka.tls.enabled),
    LOG_LEVEL: values.logLevel,
    HERALD_MODE: values.mode,
    HERALD_HTTP_PORT: String(values.httpPort),
    OTEL_TRACES_SAMPLER_ARG: String(values.otel.samplerArg),
    HERALD_RETRY_SCHEDULE: values.retry.schedule.join(','),
    HERALD_RETRY_TIERS: values.retry.tiers.join(','),
    HERALD_DOMAIN_TOPICS: values.domainTopics.join(','),
    DATABASE_SSL: String(values.database.ssl),
  };
  /** herald.isSet: null and "" keep the application default. */
  const setIf = (name: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '') env[name] = str(value);
  };
  setIf('HERALD_INTERNAL_PORT', values.internalPort);
  setIf('HERALD_INTERNAL_ACCESS', values.internalAccess);
  setIf('KAFKA_STALL_TIMEOUT_MS', values.kafka.stallTimeoutMs);
  setIf('KAFKA_STALL_CHECK_INTERVAL_MS', values.kafka.stallCheckIntervalMs);
  const dispatcher = values.dispatcher;
  const breaker = dispatcher.breaker ?? {};
  setIf('HERALD_GLOBAL_CONCURRENCY', dispatcher.globalConcurrency);
  setIf('HERALD_ENDPOINT_CONCURRENCY', dispatcher.endpointConcurrency);
  setIf('HERALD_WORKSPACE_CONCURRENCY', dispatcher.workspaceConcurrency);
  setIf('HERALD_DEFAULT_TIMEOUT', dispatcher.defaultTimeout);
  setIf('HERALD_AUTO_DISABLE_AFTER', dispatcher.autoDisableAfter);
  setIf('HERALD_DISPATCHER_PARTITIONS_CONCURRENTLY', dispatcher.partitionsConcurrently);
  setIf('HERALD_CONNECTIONS_PER_ORIGIN', dispatcher.connectionsPerOrigin);
  setIf('HERALD_DISPATCH_SLOT_WAIT', dispatcher.slotWait);
  setIf('HERALD_DISPATCH_MAX_WAITING_PER_ENDPOINT', dispatcher.maxWaitingPerEndpoint);
  setIf('HERALD_DISPATCH_MAX_WAITING', dispatcher.maxWaiting);
  setIf('HERALD_DISPATCH_CATCH_UP_TIMEOUT', dispatcher.catchUpTimeout);
  setIf('HERALD_DISPATCH_BATCH_HOLD', dispatcher.batchHold);
  setIf('HERALD_BREAKER_FAILURE_RATE', breaker.failureRate);
  setIf('HERALD_BREAKER_MIN_ATTEMPTS', breaker.minAttempts);
  setIf('HERALD_BREAKER_WINDOW', breaker.window);
  setIf('HERALD_BREAKER_OPEN_FOR', breaker.openFor);
  const r = values.retention;
  env.HERALD_RETENTION_DAYS = str(r.recordsDays);
  env.HERALD_BODY_RETENTION_DAYS = str(r.bodiesDays);
  env.HERALD_RETENTION_MIN_DAYS = str(r.minDays);
  env.HERALD_RETENTION_MAX_DAYS = str(r.maxDays);
  env.HERALD_PARTITIONS_AHEAD_DAYS = str(r.partitionsAheadDays);
  env.HERALD_RETENTION_INTERVAL = r.interval;
  if (values.topics.create && values.topics.domain.create) {
    const domainMs = values.topics.domain.retention ? durationMs(values.topics.domain.retention) : 0;
    env.HERALD_DOMAIN_TOPICS_RETENTION_DAYS = String(
      Math.floor(Math.max(replayRetentionMs(values), domainMs) / 86_400_000),
    );
  }
  if (values.topics.create) env.HERALD_TOPIC_SPECS = JSON.stringify(chartTopicSpecs(values));
  if (values.otel.endpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = values.otel.endpoint;
  if (values.kafka.sasl.mechanism) {
    env.KAFKA_SASL_MECHANISM = values.kafka.sasl.mechanism;
    env.KAFKA_SASL_USERNAME = values.kafka.sasl.username;
  }
  if (values.egressAllowCidrs.length > 0) env.HERALD_EGRESS_ALLOW_CIDRS = values.egressAllowCidrs.join(',');
  if (values.workspaceEgressCidrs.length > 0)
    env.HERALD_EGRESS_WORKSPACE_CIDRS = values.workspaceEgressCidrs.join(',');
  setIf('HERALD_WORKSPACE_MAX_ENDPOINTS', values.api.maxEndpointsPerWorkspace);
  setIf('HERALD_WORKSPACE_MAX_ACTIVE_JOBS', values.api.maxActiveJobsPerWorkspace);
  setIf('HERALD_PURGE_BATCH_SIZE', values.api.purgeBatchSize);
  setIf('HERALD_API_KEY_RATE_LIMIT', values.api.keyRateLimit);
  setIf('HERALD_API_KEY_RATE_BURST', values.api.keyRateBurst);
  setIf('HERALD_ENDPOINT_MAX_IN_FLIGHT', values.api.maxInFlightPerEndpoint);
  setIf('HERALD_FILTER_MAX_REGEX_LENGTH', values.api.maxFilterRegexLength);
  setIf('HERALD_FILTER_MAX_REGEX_COST', values.api.maxFilterRegexCost);
  setIf('HERALD_PUBLIC_URL', values.api.publicUrl);
  setIf('HERALD_TRACE_URL_TEMPLATE', values.api.traceUrlTemplate);
  setIf('HERALD_PORTAL_MAX_TTL_SECONDS', values.api.portalMaxTtlSeconds);
  if (values.router.maxEventBytes != null) env.HERALD_MAX_EVENT_BYTES = String(values.router.maxEventBytes);
  if (values.router.dedupeWindow) env.HERALD_DEDUPE_WINDOW = values.router.dedupeWindow;
  if (values.router.catchUpTimeout) env.HERALD_ROUTER_CATCH_UP_TIMEOUT = values.router.catchUpTimeout;
  if (!values.secrets.existingSecret) {
    const secretEnv: [string, string][] = [
      ['HERALD_MASTER_KEY', values.secrets.masterKey],
      ['HERALD_PREVIOUS_MASTER_KEYS', values.secrets.previousMasterKeys],
      ['HERALD_ADMIN_TOKEN', values.secrets.adminToken],
      ['DATABASE_URL', values.secrets.databaseUrl],
      ['KAFKA_SASL_PASSWORD', values.secrets.kafkaSaslPassword],
    ];
    for (const [name, value] of secretEnv) if (value) env[name] = value;
  }
  return env;
}

describe('environment variables: values the applications accept', () => {
  const schemas = collectEnvSchemaObjects();
  const cases = [
    ['values.yaml', defaults] as const,
    ...exampleFiles.map((p) => [basename(p), mergeValues(defaults, loadValues(p))] as const),
  ];

  it.each(cases)('%s renders variables every application env schema accepts', (_name, values) => {
    const env = chartEnv(values as unknown as ChartValues);
    const problems: string[] = [];
    for (const { file, schema } of schemas) {
      const result = schema.safeParse(env);
      if (result.success) continue;
      for (const issue of result.error.issues) {
        // A variable the chart does not set here (a secret in an existingSecret) is not its fault.
        const name = String(issue.path[0]);
        if (name in env) problems.push(`${name} (${file}): ${issue.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each<[string, Values, string]>([
    ['a retry delay without a tier', { retry: { schedule: ['5s', '7m'] } }, 'HERALD_RETRY_SCHEDULE'],
    ['a dispatcher timeout above 30s', { dispatcher: { defaultTimeout: '45s' } }, 'HERALD_DEFAULT_TIMEOUT'],
    [
      'a workspace share above the global cap',
      { dispatcher: { globalConcurrency: 64, workspaceConcurrency: 128 } },
      'HERALD_WORKSPACE_CONCURRENCY',
    ],
    [
      'a breaker failure rate above 1',
      { dispatcher: { breaker: { failureRate: 1.5 } } },
      'HERALD_BREAKER_FAILURE_RATE',
    ],
    ['a stall check under 500ms', { kafka: { stallCheckIntervalMs: 100 } }, 'KAFKA_STALL_CHECK_INTERVAL_MS'],
    ['zero topic partitions', { topics: { deliveries: { partitions: 0 } } }, 'HERALD_TOPIC_SPECS'],
    [
      'body retention above records retention',
      { retention: { recordsDays: 10, bodiesDays: 20 } },
      'HERALD_BODY_RETENTION_DAYS',
    ],
    [
      'records retention above the override maximum',
      { retention: { recordsDays: 120 } },
      'HERALD_RETENTION_DAYS',
    ],
    ['an internal port equal to the HTTP port', { internalPort: 3000 }, 'HERALD_INTERNAL_PORT'],
    [
      // with an admin token, as the API checks the burst only once every field parsed
      'an API key burst below its rate',
      {
        api: { keyRateLimit: 100, keyRateBurst: 10 },
        secrets: { adminToken: 'a-long-enough-operator-token' },
      },
      'HERALD_API_KEY_RATE_BURST',
    ],
    [
      'an endpoint maxInFlight ceiling below the API default',
      { api: { maxInFlightPerEndpoint: 8 }, secrets: { adminToken: 'a-long-enough-operator-token' } },
      'HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT',
    ],
  ])('notices %s, which an application would refuse', (_what, override, variable) => {
    const env = chartEnv(mergeValues(defaults, override) as unknown as ChartValues);
    const refused = schemas.some(({ schema }) => {
      const result = schema.safeParse(env);
      return !result.success && result.error.issues.some((issue) => issue.path[0] === variable);
    });
    expect({ variable, refused }).toEqual({ variable, refused: true });
  });
});

describe('Dockerfile and entrypoint', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const entrypoint = readFileSync(join(deployDir, 'docker', 'entrypoint.sh'), 'utf8');

  it('builds on Node 20 bookworm-slim, installs only production dependencies last, runs as non-root', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/npm ci --ignore-scripts/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER [1-9]\d*:[1-9]\d*$/m);
    expect(runtime).not.toMatch(/COPY --from=build \/app\/node_modules/);
  });

  it('copies only files that exist and are not excluded by .dockerignore', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
      for (const source of sources.split(/\s+/)) {
        expect({ source, exists: existsSync(join(repoRoot, source)) }).toEqual({ source, exists: true });
        const prefixes = source.split('/').map((_part, i, parts) => parts.slice(0, i + 1).join('/'));
        const lines = ignored.split('\n').map((line) => line.trim());
        expect({ source, ignoredBy: prefixes.filter((prefix) => lines.includes(prefix)) }).toEqual({
          source,
          ignoredBy: [],
        });
      }
    }
  });

  it('maps every service and command to an application entry point', () => {
    for (const service of ['api', 'router', 'dispatcher', 'scheduler', 'projector']) {
      expect(entrypoint).toMatch(new RegExp(`\\b${service}\\b.*\\)`));
      expect(existsSync(join(repoRoot, 'apps', service, 'src', 'main.ts'))).toBe(true);
    }
    expect(existsSync(join(repoRoot, 'apps', 'herald', 'src', 'main.ts'))).toBe(true);
    expect(entrypoint).toContain('dist/apps/$command/src/main.js');
    expect(entrypoint).toMatch(/migrate\)[\s\S]*main\.js" migrate/);
    expect(entrypoint).toMatch(/create-topics\)[\s\S]*main\.js" create-topics/);
    // Every command apps/herald knows is reachable as `docker run herald <command>`.
    const registry = readFileSync(
      join(repoRoot, 'apps', 'herald', 'src', 'commands', 'commands.registry.ts'),
      'utf8',
    );
    const known = [...registry.matchAll(/^\s+'?([a-z-]+)'?: \(\) =>/gm)].map((match) => match[1]);
    expect(known).toEqual(['migrate', 'create-topics', 'rekey', 'rebuild-projections', 'maintain-log']);
    // A case label naming it, not the comment at the top.
    for (const name of known)
      expect(entrypoint).toMatch(new RegExp(`^ +[^#\\n]*\\b${name}\\b[^\\n]*\\)$`, 'm'));
  });

  it('is a valid POSIX shell script', () => {
    const check = spawnSync('sh', ['-n', join(deployDir, 'docker', 'entrypoint.sh')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('HERALD_TOPIC_SPECS: the chart against create-topics', () => {
  const { topicsEnv } = require(join(repoRoot, 'apps', 'herald', 'src', 'commands', 'topics.env.ts')) as {
    topicsEnv: z.ZodObject;
  };
  const parse = (text: string) =>
    topicsEnv.parse({ HERALD_TOPIC_SPECS: text }).HERALD_TOPIC_SPECS as {
      topic: string;
      partitions: number;
      replicationFactor?: number;
      configEntries: Record<string, string>;
    }[];
  const cases = [
    ['values.yaml', defaults] as const,
    ...exampleFiles.map((p) => [basename(p), mergeValues(defaults, loadValues(p))] as const),
  ];

  it('reads a list as helm renders it', () => {
    const rendered =
      '[{"configEntries":{"cleanup.policy":"compact","min.insync.replicas":"2"},"partitions":12,"replicationFactor":3,"topic":"herald.subscriptions"},' +
      '{"configEntries":{"cleanup.policy":"delete","retention.ms":"864000000"},"partitions":12,"replicationFactor":3,"topic":"herald.retry.1d"}]';
    expect(parse(rendered)).toEqual([
      {
        topic: 'herald.subscriptions',
        partitions: 12,
        replicationFactor: 3,
        configEntries: { 'cleanup.policy': 'compact', 'min.insync.replicas': '2' },
      },
      {
        topic: 'herald.retry.1d',
        partitions: 12,
        replicationFactor: 3,
        configEntries: { 'cleanup.policy': 'delete', 'retention.ms': '864000000' },
      },
    ]);
  });

  it.each(cases)(
    '%s: the rendered list parses and names every topic the application uses',
    (_name, values) => {
      const chart = values as unknown as ChartValues;
      const specs = parse(JSON.stringify(chartTopicSpecs(chart)));
      // What create-topics derives without the list: Herald's own topics, tiers and domain topics.
      const derived = parse(
        JSON.stringify(
          [
            ...Object.values(chartTopicNames()),
            ...chart.retry.tiers.map((tier) => `herald.retry.${durationLabel(durationMs(tier))}`),
            ...(chart.topics.domain.create ? chart.domainTopics : []),
          ].map((topic) => ({ topic, partitions: 1 })),
        ),
      );
      expect(specs.map((s) => s.topic).sort()).toEqual(derived.map((s) => s.topic).sort());
      for (const spec of specs) expect(spec.replicationFactor).toBe(chart.topics.replicationFactor);
    },
  );

  const retentionMsOf = (values: Values, topic: string) =>
    parse(JSON.stringify(chartTopicSpecs(values as unknown as ChartValues))).find(
      (spec) => spec.topic === topic,
    )?.configEntries['retention.ms'];
  const day = 86_400_000;

  it('keeps the topics a rebuild or backfill reads at least max(recordsDays, maxDays)', () => {
    const values = mergeValues(defaults, { topics: { domain: { create: true } } });
    for (const topic of [
      'herald.deliveries',
      'herald.attempts',
      'herald.operational',
      ...(defaults.domainTopics as string[]),
    ]) {
      expect({ topic, ms: retentionMsOf(values, topic) }).toEqual({ topic, ms: String(90 * day) });
    }
    // Topics nothing replays keep their own retention.
    expect(retentionMsOf(values, 'herald.events.invalid')).toBe(String(14 * day));
    expect(retentionMsOf(values, 'herald.deliveries.dead')).toBe(String(30 * day));
  });

  it('follows recordsDays when overrides may not go longer, and never lowers a longer retention', () => {
    const values = mergeValues(defaults, {
      retention: { recordsDays: 45, maxDays: 45 },
      topics: { domain: { create: true }, attempts: { retention: '60d' } },
    });
    expect(retentionMsOf(values, 'herald.deliveries')).toBe(String(45 * day));
    expect(retentionMsOf(values, 'herald.attempts')).toBe(String(60 * day));
    expect(retentionMsOf(values, (defaults.domainTopics as string[])[0] as string)).toBe(String(45 * day));
  });

  it('tells the API what the domain topics keep when it creates them', () => {
    const created = chartEnv(mergeValues(defaults, { topics: { domain: { create: true } } }) as never);
    expect(created.HERALD_DOMAIN_TOPICS_RETENTION_DAYS).toBe('90');
    expect(created.HERALD_RETENTION_DAYS).toBe('30');
    expect(created.HERALD_BODY_RETENTION_DAYS).toBe('7');
    expect(created.HERALD_RETENTION_INTERVAL).toBe('1h');
    expect(chartEnv(defaults as never).HERALD_DOMAIN_TOPICS_RETENTION_DAYS).toBeUndefined();
  });

  it('renders the retention env and the topic floor in the templates', () => {
    for (const name of [
      'HERALD_RETENTION_DAYS',
      'HERALD_BODY_RETENTION_DAYS',
      'HERALD_RETENTION_MIN_DAYS',
      'HERALD_RETENTION_MAX_DAYS',
      'HERALD_PARTITIONS_AHEAD_DAYS',
      'HERALD_RETENTION_INTERVAL',
      'HERALD_DOMAIN_TOPICS_RETENTION_DAYS',
    ]) {
      expect(templateText).toContain(`- name: ${name}`);
    }
    expect(templateText).toMatch(/herald\.replayFloor" \(dict "ctx" \$ "config" \$config\)/);
  });

  it('names the same Herald topics as the application catalogue', () => {
    const { Topics } = require(join(repoRoot, 'libs', 'contracts', 'src', 'topics.ts')) as {
      Topics: Record<string, string>;
    };
    expect(chartTopicNames()).toEqual(Topics);
  });

  it.each([
    ['not JSON', '{'],
    ['an empty list', '[]'],
    ['zero partitions', '[{"topic":"a","partitions":0}]'],
    ['a bad topic name', '[{"topic":"a b","partitions":1}]'],
    ['a duplicate topic', '[{"topic":"a","partitions":1},{"topic":"a","partitions":2}]'],
    ['a non-string config value', '[{"topic":"a","partitions":1,"configEntries":{"retention.ms":5}}]'],
  ])('rejects %s with a message naming HERALD_TOPIC_SPECS', (_what, text) => {
    expect(() => parse(text)).toThrow(/HERALD_TOPIC_SPECS/);
  });
});

describe('compose stack', () => {
  const composePath = join(deployDir, 'compose', 'compose.yaml');
  let services: Record<string, Values> = {};
  beforeAll(() => {
    services = (parseYamlStrict(composePath)[0] as { services: Record<string, Values> }).services;
  });
  const heraldServices = ['api', 'router', 'dispatcher', 'scheduler', 'projector'];

  it('runs Kafka in KRaft mode, PostgreSQL, an OTel collector and Jaeger', () => {
    expect(String(services.kafka.image)).toMatch(/^apache\/kafka:/);
    expect((services.kafka.environment as Values).KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(String(services.postgres.image)).toMatch(/^postgres:/);
    expect(services['otel-collector']).toBeDefined();
    expect(services.jaeger).toBeDefined();
  });

  it('builds every Herald service from the repository Dockerfile and runs it by name', () => {
    for (const name of [...heraldServices, 'migrate', 'create-topics']) {
      const service = services[name];
      const build = service.build as { context: string; dockerfile: string };
      expect(existsSync(join(resolve(dirname(composePath), build.context), build.dockerfile))).toBe(true);
      expect(service.command).toEqual([name]);
      expect(service.read_only).toBe(true);
      expect(service.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    }
  });

  it('starts the services only after migrate and create-topics have finished', () => {
    for (const name of heraldServices) {
      expect(services[name].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'create-topics': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('gives every Herald service the variables the applications require', () => {
    const required = collectEnvSchemas()
      .variables.filter((v) => v.required)
      .map((v) => v.name);
    for (const name of heraldServices) {
      const env = services[name].environment as Values;
      for (const variable of new Set([
        ...required,
        'KAFKA_BROKERS',
        'DATABASE_URL',
        'HERALD_MASTER_KEY',
        'HERALD_ADMIN_TOKEN',
      ])) {
        expect({ service: name, variable, set: typeof env[variable] === 'string' }).toEqual({
          service: name,
          variable,
          set: true,
        });
      }
      expect(env.OTEL_SERVICE_NAME).toBe(`herald-${name}`);
    }
  });

  it('uses healthchecks written as lists of strings', () => {
    for (const [name, service] of Object.entries(services)) {
      const test = (service.healthcheck as { test?: unknown } | undefined)?.test;
      if (test === undefined) continue;
      const ok =
        typeof test === 'string' || (Array.isArray(test) && test.every((part) => typeof part === 'string'));
      expect({ name, ok }).toEqual({ name, ok: true });
    }
  });

  it('mounts only config files that exist', () => {
    for (const service of Object.values(services)) {
      for (const volume of (service.volumes as string[] | undefined) ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect(existsSync(resolve(dirname(composePath), source))).toBe(true);
      }
    }
  });
});

function findHelm(): string | undefined {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  const found = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

const helm = findHelm();
(helm ? describe : describe.skip)('helm (only where a helm binary exists)', () => {
  const run = (args: string[]) => spawnSync(helm as string, args, { cwd: chartDir, encoding: 'utf8' });

  it.each(exampleFiles.map((p) => [basename(p), p]))('lints and renders with %s', (_name, path) => {
    const lint = run(['lint', '.', '--strict', '-f', path]);
    expect(lint.stdout + lint.stderr).toContain('0 chart(s) failed');
    const rendered = execFileSync(helm as string, ['template', 'herald', '.', '-f', path], {
      cwd: chartDir,
      encoding: 'utf8',
    });
    const kinds = parseAllDocuments(rendered)
      .map((doc) => (doc.toJS() as { kind?: string } | null)?.kind)
      .filter(Boolean);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ConfigMap', 'Job']));
  });

  it.each([
    [
      'a tier retention shorter than twice its delay',
      ['--set', 'topics.retryTiers.overrides.5m.retention=9m'],
      /herald\.retry\.5m/,
    ],
    ['no secrets and no existingSecret', ['--set', 'secrets.masterKey='], /secrets\.masterKey is required/],
    [
      'a deletable subscriptions topic',
      ['--set', 'topics.subscriptions.cleanupPolicy=delete'],
      /subscriptions/,
    ],
    [
      'SASL without a username',
      ['--set', 'kafka.sasl.mechanism=plain', '--set', 'secrets.kafkaSaslPassword=x'],
      /username/,
    ],
    ['a retry delay without a tier', ['--set', 'retry.schedule={5s,7m}'], /7m/],
    ['a dedupe topic shorter than the dedupe window', ['--set', 'router.dedupeWindow=8d'], /dedupe/],
  ])('refuses to render %s', (_what, args, message) => {
    const minimal = join(chartDir, 'examples', 'minimal.values.yaml');
    const result = run(['template', 'herald', '.', '-f', minimal, ...(args as string[])]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message as RegExp);
  });
});
