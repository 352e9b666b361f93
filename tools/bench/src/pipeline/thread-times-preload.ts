// Preloaded into the agent by the pipeline bench (`node --import thread-times-preload.js cli.js …`):
// at exit, writes the CPU time of the process and of each live thread to the file named by
// NETIFYD_BENCH_THREAD_TIMES, so the bench can tell the JS thread's share of the CPU.
import { writeFileSync } from 'node:fs';
import { readThreadTimes } from './thread-times.js';

export const THREAD_TIMES_ENV = 'NETIFYD_BENCH_THREAD_TIMES';

const out = process.env[THREAD_TIMES_ENV];
if (out) process.on('exit', () => writeFileSync(out, JSON.stringify(readThreadTimes())));
