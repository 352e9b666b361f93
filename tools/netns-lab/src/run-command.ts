import { execFile } from 'node:child_process';
import { LabCommandError } from './errors.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  timeoutMs?: number;
  /** Written to the command's stdin (e.g. `ip -batch -`). */
  input?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Runs argv without a shell; rejects with LabCommandError on non-zero exit or timeout. */
export function runCommand(argv: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('runCommand needs a program');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const exit = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string | null };
        const exitCode = typeof exit.code === 'number' ? exit.code : null;
        const reason =
          exit.code === 'ENOENT'
            ? 'failed: program not found'
            : exit.killed
              ? `timed out after ${timeoutMs} ms`
              : exitCode !== null
                ? `exited with code ${exitCode}`
                : `was killed by ${exit.signal ?? 'a signal'}`;
        reject(new LabCommandError(argv, exitCode, stdout, stderr, reason));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
