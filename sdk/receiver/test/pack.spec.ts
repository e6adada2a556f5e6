// Done-when of issue 22: `npm pack` yields a package a fresh project installs (from the tarball, no
// network, nothing else installed) and uses, from CommonJS, ESM and TypeScript, to verify a request.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SDK = join(__dirname, '..');
const REPO = join(SDK, '..', '..');
const run = (cwd: string, command: string, args: string[]) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The consumer signs with node:crypto by hand, so the check does not lean on the SDK's own sign().
const CONSUMER = (load: string) => `
${load}
const { createHmac } = require_('node:crypto');
const secret = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
const body = '{"id":"evt_1","type":"message.received","workspaceId":"ws","occurredAt":"2026-12-02T14:00:00Z","data":{"id":"m","conversationId":"c"}}';
const ts = Math.floor(Date.now() / 1000);
const mac = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update('msg_1.' + ts + '.' + body).digest('base64');
const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': 'v1,' + mac };
(async () => {
  const webhook = await sdk.createVerifier({ secrets: [secret] }).verifyWebhook(body, headers);
  sdk.validateEvent(webhook.payload);
  let refused = 'none';
  try { await sdk.createVerifier({ secrets: [secret] }).verify(body.replace('"m"', '"x"'), headers); }
  catch (error) { refused = error.code; }
  console.log(JSON.stringify({ id: webhook.id, type: webhook.payload.type, refused }));
})();
`;

describe('npm pack of @herald/receiver', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'herald-receiver-pack-'));
    // Built and packed from a staging copy, so the shared sdk/receiver/dist is never rewritten here.
    const staging = join(work, 'staging');
    mkdirSync(staging);
    for (const file of ['package.json', 'README.md']) copyFileSync(join(SDK, file), join(staging, file));
    execFileSync(process.execPath, [join(SDK, 'scripts', 'build.mjs')], {
      env: { ...process.env, HERALD_SDK_SKIP_GENERATE: '1', HERALD_SDK_OUT: join(staging, 'dist') },
      stdio: 'pipe',
    });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs offline into a fresh project and verifies a signed request from CJS, ESM and TypeScript', () => {
    run(join(work, 'staging'), 'npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent']);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))!;
    expect(tarball).toBe('herald-receiver-0.1.0.tgz');
    const app = join(work, 'app');
    run(work, 'mkdir', ['app']);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }),
    );
    run(app, 'npm', [
      'install',
      join(work, tarball),
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
    ]);
    // Nothing but the SDK came with it: no runtime dependencies.
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
      '@herald',
    ]);
    const installed = JSON.parse(
      readFileSync(join(app, 'node_modules/@herald/receiver/package.json'), 'utf8'),
    );
    expect(installed.dependencies ?? {}).toEqual({});

    writeFileSync(
      join(app, 'check.cjs'),
      CONSUMER("const sdk = require('@herald/receiver'); const require_ = require;"),
    );
    writeFileSync(
      join(app, 'check.mjs'),
      CONSUMER(
        "import * as sdk from '@herald/receiver'; import { createRequire } from 'node:module'; const require_ = createRequire(import.meta.url);",
      ),
    );
    const expected = { id: 'msg_1', type: 'message.received', refused: 'BAD_SIGNATURE' };
    for (const file of ['check.cjs', 'check.mjs'])
      expect(JSON.parse(run(app, process.execPath, [file]))).toEqual(expected);

    // The declarations resolve through `exports` for a strict NodeNext TypeScript consumer.
    const typed = [
      "import { createVerifier, type HeraldEvent, type MessageReceivedV2Data } from '@herald/receiver';",
      "const verifier = createVerifier({ secrets: ['whpk_' + 'A'.repeat(43) + '='] });",
      'export async function handle(body: string, headers: Record<string, string>): Promise<string> {',
      '  const event = await verifier.verify<HeraldEvent>(body, headers);',
      "  if (event.type === 'message.received' && event.schemaVersion === 2) {",
      '    const data: MessageReceivedV2Data = event.data;',
      '    return data.from.address;',
      '  }',
      '  return event.id;',
      '}',
    ].join('\n');
    // check.ts is a CommonJS module here (no "type" in the app), check.mts an ES module.
    writeFileSync(join(app, 'check.ts'), typed);
    writeFileSync(join(app, 'check.mts'), typed);
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    run(app, process.execPath, [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--lib',
      'es2022,dom',
      'check.ts',
      'check.mts',
    ]);
  }, 120_000);
});
