import type { Command } from 'commander';
import { HeraldApi } from './api-client';
import { parseBrokers, type CliSettings, type ResolvedSettings } from './config/cli-config';
import { loadSettings, required } from './config/config-store';
import {
  colorEnabled,
  makeColors,
  renderRecord,
  renderTable,
  type Colors,
  type Column,
} from './output/format';

/** The options every command takes (declared once on the program). */
export interface GlobalOptions {
  apiUrl?: string;
  key?: string;
  workspace?: string;
  brokers?: string;
  databaseUrl?: string;
  adminToken?: string;
  json?: boolean;
  color: boolean;
}

/** What a command needs: settings, output in the chosen form, and an API client. */
export class CliContext {
  readonly json: boolean;
  readonly colors: Colors;
  private loaded?: ResolvedSettings;

  constructor(
    readonly options: GlobalOptions,
    readonly stdout: NodeJS.WriteStream = process.stdout,
    readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.json = Boolean(options.json);
    this.colors = makeColors(
      colorEnabled({ isTTY: stdout.isTTY, env: process.env, flag: options.color }) && !this.json,
    );
  }

  static of(command: Command): CliContext {
    return new CliContext(command.optsWithGlobals<GlobalOptions>());
  }

  get settings(): ResolvedSettings {
    this.loaded ??= loadSettings(this.flagSettings());
    return this.loaded;
  }

  flagSettings(): CliSettings {
    const o = this.options;
    return {
      apiUrl: o.apiUrl,
      apiKey: o.key,
      workspaceId: o.workspace,
      kafkaBrokers: o.brokers ? parseBrokers(o.brokers) : undefined,
      databaseUrl: o.databaseUrl,
      adminToken: o.adminToken,
    };
  }

  /** The API with the workspace's key (or, without one, the admin token). */
  api(): HeraldApi {
    const url = required(
      this.settings,
      'apiUrl',
      'API URL: pass --api-url, set HERALD_API_URL or run herald login',
    );
    const token = this.settings.apiKey ?? this.settings.adminToken;
    if (!token)
      required(this.settings, 'apiKey', 'API key: pass --key, set HERALD_API_KEY or run herald login');
    return new HeraldApi(url, token);
  }

  workspace(): string {
    return required(
      this.settings,
      'workspaceId',
      'workspace: pass --workspace, set HERALD_WORKSPACE or run herald login --workspace',
    );
  }

  /** `/v1/workspaces/<ws><rest>`, the workspace path escaped. */
  path(rest: string): string {
    return `/v1/workspaces/${encodeURIComponent(this.workspace())}${rest}`;
  }

  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  /** Prints JSON for scripts (one document), else what `human` renders. */
  print(value: unknown, human: () => string): void {
    if (this.json) this.line(JSON.stringify(value, null, 2));
    else this.line(human());
  }

  table<T>(value: unknown, columns: Column<T>[], rows: T[]): void {
    this.print(value, () => (rows.length === 0 ? 'nothing found' : renderTable(columns, rows, this.colors)));
  }

  record(value: Record<string, unknown>): void {
    this.print(value, () => renderRecord(value, this.colors));
  }
}
