#!/usr/bin/env node
// Runs the whole suite once (unit + end-to-end) and ends with the `N passed, N failed` line CI reads,
// taken from Jest's own JSON results rather than from its console output.
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, existsSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const resultsFile = join(__dirname, '..', 'test-results', 'jest.json');
mkdirSync(join(__dirname, '..', 'test-results'), { recursive: true });
rmSync(resultsFile, { force: true });

// --forceExit: the mock cluster's native threads and abandoned kafkajs clients may outlive the tests.
const args = ['jest', '--runInBand', '--forceExit', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env });

if (!existsSync(resultsFile)) {
  console.log('0 passed, 1 failed');
  console.error('jest wrote no results: it did not run');
  process.exit(run.status || 1);
}
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
const failedSuites = results.numFailedTestSuites - results.testResults.filter((s) => s.assertionResults.some((a) => a.status === 'failed')).length;
const failed = results.numFailedTests + Math.max(0, failedSuites);
console.log(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped`);
if (results.numTotalTests === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
