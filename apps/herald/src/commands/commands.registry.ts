import { createTopicsCommand } from './create-topics.command';
import { maintainLogCommand } from './maintain-log.command';
import { migrateCommand } from './migrate.command';
import { rebuildProjectionsCommand } from './rebuild-projections.command';
import { rekeyCommand } from './rekey.command';

/** `herald <command>`: one-shot commands that run, print what they did, and exit. */
export const COMMANDS: Readonly<Record<string, () => Promise<unknown>>> = {
  migrate: () => migrateCommand(),
  'create-topics': () => createTopicsCommand(),
  rekey: () => rekeyCommand(),
  'rebuild-projections': () => rebuildProjectionsCommand(),
  'maintain-log': () => maintainLogCommand(),
};
