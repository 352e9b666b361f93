import { ensureBenchCapture, type BenchCapture } from './bench-capture.js';
import { runEngineBench } from './engine/engine-bench.js';
import { formatSummary, summarize } from './engine/engine-report.js';
import { BenchError } from './errors.js';
import { cacheDir, sharedDir } from './paths.js';
import { runPipelineBench } from './pipeline/pipeline-bench.js';
import { formatPipelineSummary, summarizePipeline } from './pipeline/pipeline-report.js';

export const BENCHES = ['engine', 'pipeline'] as const;
export type BenchName = (typeof BENCHES)[number];

export interface BenchArgs {
  /** Which benches to run, in this order (default: all). */
  benches: BenchName[];
  runs: number;
  warmups: number;
  detectionThreads?: number;
  json: boolean;
}

export const USAGE = `usage: npm run bench -- [engine] [pipeline] [--runs N] [--warmups N] [--threads N] [--json]

  engine        the engine alone vs ndpiReader and the libpcap loop
  pipeline      the agent (engine → flow model → proc-core → sink-log files) vs ndpiReader
                (no name: both)
  --runs N      counted runs of each command, alternating (default 5)
  --warmups N   uncounted runs of each first (default 1)
  --threads N   engine detection threads of the engine bench (default: the engine's default)
  --json        print the summaries as JSON
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
  const args: BenchArgs = { benches: [], runs: 5, warmups: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if ((BENCHES as readonly string[]).includes(flag as string)) {
      if (!args.benches.includes(flag as BenchName)) args.benches.push(flag as BenchName);
    } else if (flag === '--runs') args.runs = count(flag, argv[++i], 1);
    else if (flag === '--warmups') args.warmups = count(flag, argv[++i], 0);
    else if (flag === '--threads') args.detectionThreads = count(flag, argv[++i], 1);
    else if (flag === '--json') args.json = true;
    else throw new BenchError('ERR_USAGE', `unknown argument '${flag}'\n\n${USAGE}`);
  }
  if (args.benches.length === 0) args.benches = [...BENCHES];
  return args;
}

const progress = (label: string, run: number): void => {
  process.stderr.write(`${run === 0 ? 'warm-up' : `run ${run}`}: ${label}\n`);
};

/** Runs one bench; returns its summary and the text to print. */
async function runBench(name: BenchName, args: BenchArgs, capture: BenchCapture): Promise<{ summary: object; text: string }> {
  const common = { capture, runs: args.runs, warmups: args.warmups, timeoutMs: 600_000, onRun: progress };
  if (name === 'pipeline') {
    const summary = summarizePipeline(await runPipelineBench(common));
    return { summary, text: formatPipelineSummary(summary, capture.path, capture.bytes) };
  }
  const result = await runEngineBench({ ...common, ...(args.detectionThreads === undefined ? {} : { detectionThreads: args.detectionThreads }) });
  const summary = summarize(result);
  return { summary, text: formatSummary(summary, capture.path, capture.bytes) };
}

/** Builds (or reuses) the bench capture, runs the chosen benches and prints the figures; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseBenchArgs(argv);
    const capture = await ensureBenchCapture({ sharedDir: sharedDir(), cacheDir: cacheDir() });
    process.stderr.write(`${capture.built ? 'built' : 'using cached'} ${capture.path}\n`);
    const summaries: Record<string, object> = {};
    for (const name of args.benches) {
      const { summary, text } = await runBench(name, args, capture);
      summaries[name] = summary;
      if (!args.json) process.stdout.write(`${Object.keys(summaries).length > 1 ? '\n' : ''}${text}`);
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ capture: capture.path, ...summaries }, null, 2)}\n`);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    process.stderr.write(`bench: ${typeof code === 'string' && code !== 'ERR_USAGE' ? `${code}: ` : ''}${(error as Error).message}\n`);
    return code === 'ERR_USAGE' ? 2 : 1;
  }
}
