import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Validates against the OpenAPI 3 JSON schema and the spec's own rules with swagger-parser, in a plain
 * node process because the validator ships as ES modules, which jest's CommonJS runtime cannot load.
 */
export async function validateOpenApi(document: unknown): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'herald-openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const script = `import('@apidevtools/swagger-parser').then((m) => m.default.validate(process.argv[1])).then(
    () => process.stdout.write('valid'), (e) => { process.stderr.write(String(e && e.message)); process.exit(1); })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, file], {
    cwd: process.cwd(),
  });
  expect(stdout).toBe('valid');
}
