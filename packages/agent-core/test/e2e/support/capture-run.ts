import { AgentInstall } from './agent-install.js';
import { runAgent, type AgentExit } from './agent-process.js';

/** proc-core routes every flow, stats and endpoint message to one sink-log channel. */
export const ALL_TO_LOG = {
  format: 'json',
  compressor: 'none',
  sinks: { 'sink-log': { all: { enable: true, types: ['stream-flows', 'stream-stats', 'stream-endpoints'] } } },
};

export interface CaptureRun {
  readonly exit: AgentExit;
  /** The JSON lines sink-log wrote, as written. */
  readonly lines: string[];
  readonly messages: Array<Record<string, unknown>>;
  /** Files left in the log dir (hidden temporaries would show here). */
  readonly logFiles: string[];
}

/**
 * Runs the agent CLI on one capture file with proc-core → sink-log (json, overwrite false)
 * and returns what sink-log wrote. The temp install is removed afterwards.
 */
export async function runCaptureToLog(
  capture: string,
  options: { updateIntervalS?: number; timeoutMs?: number; dnsHintCache?: boolean } = {},
): Promise<CaptureRun> {
  const install = new AgentInstall({
    updateIntervalS: options.updateIntervalS ?? 5,
    ...(options.dnsHintCache === undefined ? {} : { dnsHintCache: options.dnsHintCache }),
    procCore: ALL_TO_LOG,
    sinkLog: { overwrite: false, channels: { all: { log_name: 'netify-all-' } } },
  });
  try {
    const exit = await runAgent(['-c', install.conf, '-I', capture], options.timeoutMs ?? 80_000);
    const lines = install.channelFiles('netify-all-', '.json').flatMap((data) => data.toString('utf8').split('\n').filter((line) => line !== ''));
    return { exit, lines, messages: lines.map((line) => JSON.parse(line) as Record<string, unknown>), logFiles: install.logFiles() };
  } finally {
    install.cleanup();
  }
}

/** The summary line the CLI prints last on stderr after a capture file. */
export const SUMMARY_LINE = /^netifyd: (\d+) packets, (\d+) flows, [\d.]+% detected \(top: .*\), [\d.]+ s, \d+ packets\/s$/;

/** stderr lines that must never appear: crashes, stack traces, runtime warnings. */
export function stderrProblems(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /internal error|^\s+at |Warning|[A-Za-z]Error:|[Uu]ncaught|Segmentation fault|Aborted/.test(line));
}
