// Builds dist/esm, dist/cjs and dist/types with two tsc passes; each output folder gets a
// package.json naming its module type, so Node reads .js files there as ESM or CommonJS.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.json', 'tsconfig.cjs.json'])
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
for (const [folder, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  mkdirSync(join(root, 'dist', folder), { recursive: true });
  writeFileSync(join(root, 'dist', folder, 'package.json'), JSON.stringify({ type }) + '\n');
}
