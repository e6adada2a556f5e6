import { COMPACTED_TOPICS, heraldTopicSpecs, parseDuration } from '@herald/contracts';

/** One thing `herald doctor` looked at: ok, worth a look (warn), or broken (fail) with a fix. */
export interface Finding {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

export const ok = (check: string, message: string): Finding => ({ check, status: 'ok', message });
export const warn = (check: string, message: string, fix?: string): Finding => ({
  check,
  status: 'warn',
  message,
  fix,
});
export const fail = (check: string, message: string, fix: string): Finding => ({
  check,
  status: 'fail',
  message,
  fix,
});

export function hasProblems(findings: Finding[]): boolean {
  return findings.some((finding) => finding.status === 'fail');
}

/** The topics the services need and the cleanup policy each must have. */
export function expectedTopics(options: {
  retryTiers: readonly string[];
  domainTopics: readonly string[];
}): { topic: string; cleanupPolicy: string }[] {
  return heraldTopicSpecs({
    retryTierDelaysMs: options.retryTiers.map(parseDuration),
    domainTopics: options.domainTopics,
    partitions: 1,
  }).map((spec) => ({ topic: spec.topic, cleanupPolicy: spec.config['cleanup.policy'] ?? 'delete' }));
}

/** Missing topics, and topics whose cleanup policy would lose state (or keep what should expire). */
export function topicFindings(
  expected: { topic: string; cleanupPolicy: string }[],
  actual: Map<string, { partitions: number; cleanupPolicy?: string }>,
): Finding[] {
  const missing = expected.filter((spec) => !actual.has(spec.topic)).map((spec) => spec.topic);
  const findings: Finding[] = [];
  if (missing.length > 0) {
    findings.push(
      fail(
        'topics',
        `${missing.length} topic(s) missing: ${missing.join(', ')}`,
        'run `herald create-topics` with the same HERALD_RETRY_TIERS and HERALD_DOMAIN_TOPICS as the services',
      ),
    );
  }
  for (const spec of expected) {
    const found = actual.get(spec.topic);
    if (!found || found.cleanupPolicy === undefined) continue;
    const policies = found.cleanupPolicy.split(',').map((p) => p.trim());
    const compacted = COMPACTED_TOPICS.includes(spec.topic);
    if (compacted && !policies.includes('compact')) {
      findings.push(
        fail(
          'topics',
          `${spec.topic} has cleanup.policy=${found.cleanupPolicy}; it must be compact or its state is lost`,
          `kafka-configs --alter --entity-type topics --entity-name ${spec.topic} --add-config cleanup.policy=compact`,
        ),
      );
    } else if (!compacted && policies.includes('compact') && !policies.includes('delete')) {
      findings.push(
        warn(
          'topics',
          `${spec.topic} has cleanup.policy=${found.cleanupPolicy}; Herald expects delete (records expire)`,
          `kafka-configs --alter --entity-type topics --entity-name ${spec.topic} --add-config cleanup.policy=delete`,
        ),
      );
    }
  }
  if (findings.length === 0)
    findings.push(ok('topics', `all ${expected.length} topics present with their cleanup policy`));
  return findings;
}

export interface GroupLag {
  groupId: string;
  /** Kafka's group state: Stable, Empty, Dead, PreparingRebalance, ... */
  state: string;
  /** Records not yet committed, per topic (summed over partitions). */
  lagByTopic: Record<string, number>;
}

/**
 * Lag above `maxLag` on the hot path is a problem; retry-tier topics are skipped, since records wait
 * there on purpose. A group without members means its service is not running.
 */
export function lagFindings(groups: GroupLag[], maxLag: number): Finding[] {
  const findings: Finding[] = [];
  for (const group of groups) {
    const check = `lag ${group.groupId}`;
    const entries = Object.entries(group.lagByTopic).filter(([topic]) => !topic.startsWith('herald.retry.'));
    const total = entries.reduce((sum, [, lag]) => sum + lag, 0);
    if (group.state === 'Dead' && entries.length === 0) {
      findings.push(
        warn(
          check,
          'no such consumer group yet (its service never committed)',
          'start the service that owns it',
        ),
      );
      continue;
    }
    const behind = entries.filter(([, lag]) => lag > maxLag);
    if (behind.length > 0) {
      findings.push(
        fail(
          check,
          `behind by ${behind.map(([topic, lag]) => `${lag} on ${topic}`).join(', ')} (limit ${maxLag})`,
          `check that ${group.groupId.replace(/^herald-/, '')} runs and is healthy, or add instances`,
        ),
      );
    } else if (group.state === 'Empty') {
      findings.push(
        warn(
          check,
          `no running consumer (lag ${total})`,
          `start the ${group.groupId.replace(/^herald-/, '')} service`,
        ),
      );
    } else {
      findings.push(ok(check, `${group.state}, lag ${total}`));
    }
  }
  return findings;
}

export function migrationFindings(applied: string[], known: string[]): Finding[] {
  const pending = known.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !known.includes(name));
  const findings: Finding[] = [];
  if (pending.length > 0) {
    findings.push(
      fail(
        'migrations',
        `${pending.length} pending: ${pending.join(', ')}`,
        'run `herald migrate` (DATABASE_URL set)',
      ),
    );
  }
  if (unknown.length > 0) {
    findings.push(
      warn(
        'migrations',
        `applied but unknown to this CLI: ${unknown.join(', ')}`,
        'the database is newer than this CLI: upgrade it',
      ),
    );
  }
  if (findings.length === 0) findings.push(ok('migrations', `all ${known.length} applied`));
  return findings;
}

/** The body of GET /health/ready (terminus): checks up in `info`, down in `error`. */
export interface ReadinessBody {
  status?: string;
  info?: Record<string, { status: string; message?: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

export function healthFindings(url: string, status: number, body: ReadinessBody | undefined): Finding[] {
  const check = `health ${url}`;
  const down = Object.entries(body?.error ?? {});
  if (status === 200 && down.length === 0) {
    const names = Object.keys(body?.info ?? {});
    return [ok(check, `ready${names.length > 0 ? ` (${names.join(', ')})` : ''}`)];
  }
  if (down.length === 0) {
    return [fail(check, `/health/ready answered ${status}`, 'look at the service logs')];
  }
  return down.map(([name, detail]) =>
    fail(
      check,
      `${name} is down${detail.message ? `: ${detail.message}` : ''}`,
      `check ${name.includes('postgres') || name.includes('database') ? 'DATABASE_URL and Postgres' : 'the service and what it connects to'}; details need the admin token (--admin-token)`,
    ),
  );
}

/** One line per finding; problems say how to fix them. */
export function renderFindings(
  findings: Finding[],
  paint: (status: Finding['status'], text: string) => string,
): string {
  const lines = findings.map((finding) => {
    const mark = paint(
      finding.status,
      finding.status === 'ok' ? 'ok  ' : finding.status === 'warn' ? 'warn' : 'FAIL',
    );
    const fix = finding.fix && finding.status !== 'ok' ? `\n      fix: ${finding.fix}` : '';
    return `${mark}  ${finding.check}: ${finding.message}${fix}`;
  });
  const failed = findings.filter((finding) => finding.status === 'fail').length;
  const warned = findings.filter((finding) => finding.status === 'warn').length;
  lines.push(
    failed === 0
      ? `no problems found${warned > 0 ? ` (${warned} warning(s))` : ''}`
      : `${failed} problem(s) found`,
  );
  return lines.join('\n');
}
