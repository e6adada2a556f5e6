import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { CliContext } from '../cli-context';
import { SETTING_ENV, type SettingName } from '../config/cli-config';
import { currentConfigPath, readStoredConfig, required, writeStoredConfig } from '../config/config-store';

/** Shows enough of a secret to recognise it, never enough to use it. */
export function maskSecret(secret: string): string {
  return secret.length <= 10 ? '****' : `${secret.slice(0, 6)}…${secret.slice(-2)}`;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('check an API URL, key and workspace, and store them in the config file (mode 0600)')
    .action(async (_options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const settings = context.settings;
      const apiUrl = required(settings, 'apiUrl', 'API URL: pass --api-url or set HERALD_API_URL');
      const apiKey = required(settings, 'apiKey', 'API key: pass --key or set HERALD_API_KEY');
      const workspaceId = context.workspace();
      // Checks the key before storing it: a wrong one fails here with exit 3, not on the next command.
      const workspace = await context.api().get<{ id: string; name?: string }>(context.path(''));
      const path = currentConfigPath();
      writeStoredConfig({ ...readStoredConfig(path), apiUrl, apiKey, workspaceId }, path);
      context.print(
        { apiUrl, workspaceId, workspaceName: workspace.name ?? null, configFile: path },
        () =>
          `logged in to ${apiUrl}, workspace ${workspaceId}${workspace.name ? ` (${workspace.name})` : ''}; saved to ${path}`,
      );
    });

  program
    .command('logout')
    .description('remove the config file herald login wrote')
    .action((_options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const path = currentConfigPath();
      rmSync(path, { force: true });
      context.print({ configFile: path, removed: true }, () => `removed ${path}`);
    });

  program
    .command('config')
    .description('show the settings in effect and where each came from (flag, env, config, dev)')
    .action((_options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const settings = context.settings;
      const rows = (Object.keys(SETTING_ENV) as SettingName[]).map((name) => {
        const raw = settings[name];
        const secret = name === 'apiKey' || name === 'adminToken';
        const value =
          raw === undefined ? null : Array.isArray(raw) ? raw.join(',') : secret ? maskSecret(raw) : raw;
        return { setting: name, value, source: settings.sources[name] ?? null, env: SETTING_ENV[name] };
      });
      context.table(
        { configFile: currentConfigPath(), settings: rows },
        [
          { header: 'setting', value: (r: (typeof rows)[number]) => r.setting },
          { header: 'value', value: (r) => r.value },
          { header: 'from', value: (r) => r.source },
          { header: 'env', value: (r) => r.env },
        ],
        rows,
      );
    });
}
