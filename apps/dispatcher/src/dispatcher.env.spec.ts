import { loadConfig } from '@herald/config';
import { dispatcherEnv, workspaceConcurrency } from './dispatcher.env';

describe('dispatcherEnv', () => {
  it('has safe defaults', () => {
    expect(loadConfig(dispatcherEnv, {})).toMatchObject({
      HERALD_ENDPOINT_CONCURRENCY: 10,
      HERALD_DEFAULT_TIMEOUT: 15_000,
      HERALD_AUTO_DISABLE_AFTER: 5 * 86_400_000,
      HERALD_EGRESS_ALLOW_CIDRS: [],
    });
  });

  it.each([
    ['HERALD_DEFAULT_TIMEOUT', '45s'],
    ['HERALD_EGRESS_ALLOW_CIDRS', '10.0.0.0/99'],
    ['HERALD_BREAKER_FAILURE_RATE', '2'],
    ['HERALD_GLOBAL_CONCURRENCY', '0'],
    ['HERALD_WORKSPACE_CONCURRENCY', '0'],
    ['HERALD_WORKSPACE_CONCURRENCY', '513'],
  ])('stops with one line naming %s=%s', (name, value) => {
    expect(() => loadConfig(dispatcherEnv, { [name]: value })).toThrow(
      new RegExp(`^Configuration error: ${name} `),
    );
  });

  it('gives each workspace a quarter of the global slots unless told otherwise', () => {
    expect(workspaceConcurrency(loadConfig(dispatcherEnv, {}))).toBe(128);
    expect(workspaceConcurrency(loadConfig(dispatcherEnv, { HERALD_GLOBAL_CONCURRENCY: '2' }))).toBe(1);
    expect(
      workspaceConcurrency(
        loadConfig(dispatcherEnv, { HERALD_GLOBAL_CONCURRENCY: '64', HERALD_WORKSPACE_CONCURRENCY: '64' }),
      ),
    ).toBe(64);
  });
});
