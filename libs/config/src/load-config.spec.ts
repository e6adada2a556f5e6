import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { envBool, envDuration, envInt, envList } from './env-types';

describe('loadConfig', () => {
  const schema = z.object({
    HERALD_TIMEOUT: envDuration('15s'),
    HERALD_LIMIT: envInt(10, 1, 100),
    HERALD_FLAG: envBool(false),
    HERALD_TOPICS: envList(['a', 'b']),
    HERALD_ADMIN_TOKEN: z.string().min(16),
  });

  it('applies defaults and parses values', () => {
    const config = loadConfig(schema, {
      HERALD_ADMIN_TOKEN: 'x'.repeat(16),
      HERALD_FLAG: 'true',
      HERALD_TOPICS: 'x, y',
    });
    expect(config).toEqual({
      HERALD_TIMEOUT: 15_000,
      HERALD_LIMIT: 10,
      HERALD_FLAG: true,
      HERALD_TOPICS: ['x', 'y'],
      HERALD_ADMIN_TOKEN: 'x'.repeat(16),
    });
  });

  it('names the variable and the problem in one line', () => {
    expect(() => loadConfig(schema, { HERALD_ADMIN_TOKEN: 'x'.repeat(16), HERALD_TIMEOUT: 'soon' })).toThrow(
      /^Configuration error: HERALD_TIMEOUT is invalid \("soon"\): "soon" is not a duration/,
    );
    expect(() => loadConfig(schema, { HERALD_ADMIN_TOKEN: 'x'.repeat(16), HERALD_LIMIT: '500' })).toThrow(
      ConfigError,
    );
  });

  it('reports a missing required variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/^Configuration error: HERALD_ADMIN_TOKEN is missing/);
  });

  it('never echoes the value of a secret-looking variable', () => {
    try {
      loadConfig(schema, { HERALD_ADMIN_TOKEN: 'short-secret' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret');
      expect((error as Error).message).toContain('<redacted>');
    }
  });
});
