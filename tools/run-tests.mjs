#!/usr/bin/env node
// Runs every package's vitest suite once and ends with one summary line
// ("Tests: N passed, N failed, N skipped") that CI and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const corpus = resolve(process.env.NETIFYD_CORPUS ?? '../shared/pcap');
if (existsSync(join(corpus, 'captures'))) {
  console.log(`tests: public capture corpus at ${corpus}`);
} else {
  console.log(`tests: no capture corpus at ${corpus} (set NETIFYD_CORPUS); corpus suites are skipped, the project's own captures still run`);
}

const out = mkdtempSync(join(tmpdir(), 'netifyd-tests-'));
const report = join(out, 'report.json');
const result = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NETIFYD_CORPUS: corpus },
});

let code = result.status ?? 1;
if (existsSync(report)) {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`\nTests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
  if (summary.numTotalTests === 0) {
    console.error('tests: no test ran');
    code = 1;
  }
} else {
  console.error('tests: vitest wrote no report');
  code = code || 1;
}
rmSync(out, { recursive: true, force: true });
process.exit(code);
