#!/usr/bin/env node
// `npm run bench`: builds what the benches need, then runs them and prints the figures.
// Arguments after `--` go to the bench (see tools/bench/README.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

function step(what, command, args) {
  process.stderr.write(`bench: ${what}\n`);
  execFileSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Loads the engine in a fresh process (this one must not cache a half-built package); '' = fine. */
function engineProblem() {
  const probe = `import('@netifyd/native-dpi').then(
    (m) => { if (typeof m.Engine !== 'function') { console.error('it exports no Engine class'); process.exit(3); } },
    (e) => { console.error(e.message.split('\\n')[0]); process.exit(3); })`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' });
  return run.status === 0 ? '' : run.stderr.trim().split('\n').pop() || `exit code ${run.status}`;
}

/** What the pipeline bench runs: the agent CLI and its two plugins, built from the current sources. */
const PIPELINE_PACKAGES = ['proc-core', 'sink-log', 'agent-core'];
const args = process.argv.slice(2);
const wantsPipeline = args.includes('pipeline') || !args.includes('engine');

try {
  step('building tools/bench', process.execPath, [tsc, '-p', join(benchDir, 'tsconfig.build.json')]);
  if (wantsPipeline) {
    for (const name of PIPELINE_PACKAGES) step(`building @netifyd/${name}`, process.execPath, [tsc, '-p', join(root, 'packages', name, 'tsconfig.build.json')]);
  }
  if (engineProblem() !== '') step('building @netifyd/native-dpi', 'npm', ['run', 'build', '--workspace', '@netifyd/native-dpi']);
} catch (error) {
  process.stderr.write(`bench: build failed: ${error.message.split('\n')[0]}\n`);
  process.exit(1);
}
const problem = engineProblem();
if (problem !== '') {
  process.stderr.write(`bench: cannot load @netifyd/native-dpi (${problem}); build it first, see packages/native-dpi/README.md\n`);
  process.exit(1);
}

if (args[0] === 'apps') process.exit(await (await import('./dist/apps/apps-cli.js')).main(args.slice(1)));
const { main } = await import('./dist/cli.js');
process.exitCode = await main(args);
