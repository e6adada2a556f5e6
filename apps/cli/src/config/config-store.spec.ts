import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoredConfig, writeStoredConfig } from './config-store';

describe('config file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written 0600 in a 0700 directory and reads back', () => {
    const path = join(dir, 'herald', 'config.json');
    writeStoredConfig({ apiUrl: 'http://x', apiKey: 'hk_1', workspaceId: 'ws' }, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'herald')).mode & 0o777).toBe(0o700);
    expect(readStoredConfig(path)).toEqual({ apiUrl: 'http://x', apiKey: 'hk_1', workspaceId: 'ws' });
  });

  it('tightens a directory and file that were readable by others', () => {
    const folder = join(dir, 'open');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    const path = join(folder, 'config.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    writeStoredConfig({ apiKey: 'hk_2' }, path);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('names the file and the field when it is broken', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"apiUrl": 3}', { mode: 0o600 });
    expect(() => readStoredConfig(path)).toThrow(/bad\.json: apiUrl/);
    writeFileSync(path, 'not json', { mode: 0o600 });
    expect(() => readStoredConfig(path)).toThrow(/not readable JSON/);
    expect(readStoredConfig(join(dir, 'absent.json'))).toBeUndefined();
  });
});
