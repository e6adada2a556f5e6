import { resolveSettings } from './cli-config';
import { configFilePath, exposedToOthers, findDevFile } from './config-paths';

describe('resolveSettings', () => {
  const dev = {
    apiUrl: 'http://127.0.0.1:3000',
    apiKey: 'hk_dev',
    workspaceId: 'ws-dev',
    kafkaBrokers: ['127.0.0.1:9092'],
    databaseUrl: 'postgres://dev',
    adminToken: 'hdev_token',
  };

  it('takes flags over env over the config file over dev.json, field by field', () => {
    const settings = resolveSettings({
      flags: { apiUrl: 'http://flag/' },
      env: { HERALD_API_KEY: 'hk_env', KAFKA_BROKERS: 'a:1, b:2' },
      file: { apiUrl: 'http://file', apiKey: 'hk_file', workspaceId: 'ws-file' },
      dev,
    });
    expect(settings).toMatchObject({
      apiUrl: 'http://flag',
      apiKey: 'hk_env',
      workspaceId: 'ws-file',
      kafkaBrokers: ['a:1', 'b:2'],
      databaseUrl: 'postgres://dev',
      adminToken: 'hdev_token',
    });
    expect(settings.sources).toEqual({
      apiUrl: 'flag',
      apiKey: 'env',
      workspaceId: 'config',
      kafkaBrokers: 'env',
      databaseUrl: 'dev',
      adminToken: 'dev',
    });
  });

  it('works from dev.json alone, and ignores blank values', () => {
    const settings = resolveSettings({ flags: { apiKey: '' }, env: { HERALD_API_URL: '  ' }, dev });
    expect(settings.apiUrl).toBe(dev.apiUrl);
    expect(settings.apiKey).toBe('hk_dev');
    expect(settings.sources.apiUrl).toBe('dev');
  });

  it('leaves unset what no layer has', () => {
    expect(resolveSettings({ flags: {}, env: {} })).toEqual({ sources: {} });
  });
});

describe('config paths', () => {
  it('uses HERALD_CONFIG, else an absolute XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configFilePath({ HERALD_CONFIG: '/tmp/h.json' }, '/home/u')).toBe('/tmp/h.json');
    expect(configFilePath({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/herald/config.json');
    expect(configFilePath({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.config/herald/config.json',
    );
    expect(configFilePath({}, '/home/u')).toBe('/home/u/.config/herald/config.json');
  });

  it('finds the nearest .herald/dev.json upwards', () => {
    const present = new Set(['/repo/.herald/dev.json']);
    expect(findDevFile('/repo/apps/cli', (p) => present.has(p))).toBe('/repo/.herald/dev.json');
    expect(findDevFile('/elsewhere', (p) => present.has(p))).toBeUndefined();
  });

  it('flags modes others can read or write', () => {
    expect(exposedToOthers(0o100600)).toBe(false);
    expect(exposedToOthers(0o100644)).toBe(true);
    expect(exposedToOthers(0o40700)).toBe(false);
    expect(exposedToOthers(0o40750)).toBe(true);
  });
});
