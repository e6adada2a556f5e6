import {
  expectedTopics,
  hasProblems,
  healthFindings,
  lagFindings,
  migrationFindings,
  renderFindings,
  topicFindings,
} from './doctor-findings';

describe('doctor findings', () => {
  const expected = expectedTopics({ retryTiers: ['5s'], domainTopics: ['domain.messages'] });

  it('expects every Herald topic, the tier and the domain topics', () => {
    const names = expected.map((spec) => spec.topic);
    expect(names).toEqual(
      expect.arrayContaining(['herald.deliveries', 'herald.retry.5s', 'domain.messages']),
    );
    expect(expected.find((spec) => spec.topic === 'herald.subscriptions')?.cleanupPolicy).toBe('compact');
  });

  it('reports missing topics and a compacted topic that deletes, with the fix', () => {
    const actual = new Map(
      expected.map((spec) => [spec.topic, { partitions: 1, cleanupPolicy: spec.cleanupPolicy }]),
    );
    expect(topicFindings(expected, actual)).toEqual([expect.objectContaining({ status: 'ok' })]);
    actual.delete('domain.messages');
    actual.set('herald.subscriptions', { partitions: 1, cleanupPolicy: 'delete' });
    const findings = topicFindings(expected, actual);
    expect(findings.map((f) => f.status)).toEqual(['fail', 'fail']);
    expect(findings[0]).toMatchObject({
      message: expect.stringContaining('domain.messages'),
      fix: expect.stringContaining('herald create-topics'),
    });
    expect(findings[1].message).toContain('herald.subscriptions has cleanup.policy=delete');
  });

  it('judges lag on the hot path only, and warns about groups without consumers', () => {
    const findings = lagFindings(
      [
        { groupId: 'herald-router', state: 'Stable', lagByTopic: { 'domain.messages': 3 } },
        { groupId: 'herald-scheduler', state: 'Stable', lagByTopic: { 'herald.retry.5s': 1_000_000 } },
        { groupId: 'herald-dispatcher', state: 'Stable', lagByTopic: { 'herald.deliveries': 50_000 } },
        { groupId: 'herald-projector', state: 'Empty', lagByTopic: { 'herald.attempts': 0 } },
        { groupId: 'herald-api', state: 'Dead', lagByTopic: {} },
      ],
      10_000,
    );
    expect(findings.map((f) => f.status)).toEqual(['ok', 'ok', 'fail', 'warn', 'warn']);
    expect(findings[2].message).toContain('50000 on herald.deliveries');
  });

  it('lists pending migrations', () => {
    expect(migrationFindings(['A', 'B'], ['A', 'B'])[0].status).toBe('ok');
    expect(migrationFindings(['A'], ['A', 'B'])[0]).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('herald migrate'),
    });
    expect(migrationFindings(['A', 'Z'], ['A'])[0].status).toBe('warn');
  });

  it('reads terminus readiness bodies', () => {
    expect(
      healthFindings('http://a', 200, { status: 'ok', info: { kafka: { status: 'up' } } })[0].status,
    ).toBe('ok');
    const down = healthFindings('http://a', 503, {
      status: 'error',
      error: { 'api.postgres': { status: 'down', message: 'refused' } },
    });
    expect(down[0]).toMatchObject({ status: 'fail', message: 'api.postgres is down: refused' });
    expect(healthFindings('http://a', 500, undefined)[0].status).toBe('fail');
  });

  it('renders one line per finding with fixes, and a verdict', () => {
    const findings = [...migrationFindings(['A'], ['A', 'B']), ...migrationFindings([], [])];
    expect(hasProblems(findings)).toBe(true);
    const text = renderFindings(findings, (_s, t) => t);
    expect(text).toContain('FAIL  migrations: 1 pending: B\n      fix: run `herald migrate`');
    expect(text.endsWith('1 problem(s) found')).toBe(true);
  });
});
