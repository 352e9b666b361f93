#!/usr/bin/env node
import { parseCliArgs, USAGE } from './cli-args.js';
import { compareCaptures } from './compare-captures.js';
import { formatTextReport, toJsonReport, totalOf } from './report.js';

/** Exit codes: 0 the comparison ran; 1 some expected outputs could not be read; 2 usage or directory error. */
async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`compare-ndpi: ${(error as Error).message}`.trimEnd() + '\n');
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const progress = process.stderr.isTTY
    ? (done: number, total: number, capture: string): void => {
        process.stderr.write(`\r\x1b[K[${done + 1}/${total}] ${capture}`);
      }
    : undefined;
  let run;
  try {
    run = await compareCaptures({ ...args, ...(progress ? { onProgress: progress } : {}) });
  } catch (error) {
    process.stderr.write(`compare-ndpi: ${(error as Error).message}\n`);
    return 2;
  } finally {
    if (progress) process.stderr.write('\r\x1b[K');
  }
  const totals = totalOf(run.comparisons);
  process.stdout.write(args.json ? `${JSON.stringify(toJsonReport(run.comparisons, totals), null, 2)}\n` : formatTextReport(run.comparisons, totals));
  return run.expectedErrors > 0 ? 1 : 0;
}

process.exitCode = await main();
