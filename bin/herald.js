#!/usr/bin/env node
'use strict';
// The `herald` command (package.json "bin"): loads the CLI built into dist by `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('herald: the CLI is not built yet; run `npm run build` first\n');
  process.exit(2);
}
require(main);
