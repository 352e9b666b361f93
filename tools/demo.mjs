#!/usr/bin/env node
// The README's main job: the agent with the default profile in etc/.
import { spawnSync } from 'node:child_process';

const cli = 'packages/agent-core/dist/cli.js';
const run = (args) => spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' }).status ?? 1;

let code = run(['--version']);
if (code === 0) code = run(['-c', 'etc/netifyd.conf', '--list-plugins']);
process.exit(code);
