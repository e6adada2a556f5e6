// Builds the package: regenerates src/generated from Herald's event catalogue (as compiled to the
// repo's dist/ by the root build, which runs first), then dist/esm, dist/cjs and dist/types with two
// tsc passes; each output folder gets a package.json naming its module type, so Node reads its .js
// files as ESM or CommonJS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

// The pack test builds without regenerating, so a test run never rewrites sources.
if (!process.env.HERALD_SDK_SKIP_GENERATE) await generateEvents();
// HERALD_SDK_OUT builds elsewhere (the pack test), leaving the dist/ other processes may be loading.
const out = process.env.HERALD_SDK_OUT ?? join(root, 'dist');
rmSync(out, { recursive: true, force: true });
const passes = [
  ['tsconfig.json', '--outDir', join(out, 'esm'), '--declarationDir', join(out, 'types')],
  ['tsconfig.cjs.json', '--outDir', join(out, 'cjs')],
];
for (const [project, ...flags] of passes)
  execFileSync(process.execPath, [tsc, '-p', join(root, project), ...flags], { stdio: 'inherit' });
for (const [folder, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  mkdirSync(join(out, folder), { recursive: true });
  writeFileSync(join(out, folder, 'package.json'), JSON.stringify({ type }) + '\n');
}

async function generateEvents() {
  const compiled = join(
    root,
    '..',
    '..',
    'dist',
    'libs',
    'contracts',
    'src',
    'catalogue',
    'event-catalogue.js',
  );
  if (!existsSync(compiled)) {
    // Outside the monorepo's build (a plain `npm pack` here): the committed files stand.
    console.warn(`@herald/receiver: ${compiled} not built; keeping the committed src/generated files`);
    return;
  }
  const { EVENT_CATALOGUE, DOMAIN_EVENT_ENVELOPE_SCHEMA } = require(compiled);
  const { renderGenerated } = require('./events-codegen.cjs');
  const files = await renderGenerated({ catalogue: EVENT_CATALOGUE, envelope: DOMAIN_EVENT_ENVELOPE_SCHEMA });
  mkdirSync(join(root, 'src', 'generated'), { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    const path = join(root, 'src', 'generated', name);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== source) writeFileSync(path, source);
  }
}
