import { ensureBenchCapture } from './bench-capture.js';
import { runEngineBench } from './engine/engine-bench.js';
import { formatSummary, summarize } from './engine/engine-report.js';
import { BenchError } from './errors.js';
import { cacheDir, sharedDir } from './paths.js';

export interface BenchArgs {
  runs: number;
  warmups: number;
  detectionThreads?: number;
  json: boolean;
}

export const USAGE = `usage: npm run bench -- [--runs N] [--warmups N] [--threads N] [--json]

  --runs N      counted runs of each command, alternating (default 5)
  --warmups N   uncounted runs of each first (default 1)
  --threads N   engine detection threads (default: the engine's default)
  --json        print the summary as JSON
environment: NETIFYD_SHARED (default ../shared), NETIFYD_BENCH_CACHE (default tools/bench/.cache)
`;

function count(flag: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min) {
    throw new BenchError('ERR_USAGE', `${flag} '${text ?? ''}': expected an integer >= ${min}\n\n${USAGE}`);
  }
  return value;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { runs: 5, warmups: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--runs') args.runs = count(flag, argv[++i], 1);
    else if (flag === '--warmups') args.warmups = count(flag, argv[++i], 0);
    else if (flag === '--threads') args.detectionThreads = count(flag, argv[++i], 1);
    else if (flag === '--json') args.json = true;
    else throw new BenchError('ERR_USAGE', `unknown argument '${flag}'\n\n${USAGE}`);
  }
  return args;
}

/** Builds (or reuses) the bench capture, runs the engine bench and prints the figures; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseBenchArgs(argv);
    const capture = await ensureBenchCapture({ sharedDir: sharedDir(), cacheDir: cacheDir() });
    const progress = (label: string, run: number): void => {
      process.stderr.write(`${run === 0 ? 'warm-up' : `run ${run}`}: ${label}\n`);
    };
    process.stderr.write(`${capture.built ? 'built' : 'using cached'} ${capture.path}\n`);
    const result = await runEngineBench({
      capture,
      runs: args.runs,
      warmups: args.warmups,
      timeoutMs: 600_000,
      onRun: progress,
      ...(args.detectionThreads === undefined ? {} : { detectionThreads: args.detectionThreads }),
    });
    const summary = summarize(result);
    process.stdout.write(args.json ? `${JSON.stringify({ capture: capture.path, ...summary }, null, 2)}\n` : formatSummary(summary, capture.path, capture.bytes));
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    process.stderr.write(`bench: ${typeof code === 'string' && code !== 'ERR_USAGE' ? `${code}: ` : ''}${(error as Error).message}\n`);
    return code === 'ERR_USAGE' ? 2 : 1;
  }
}
