/**
 * Every failure this tool raises on purpose carries a stable `code`, so tests and callers
 * branch on the code rather than on message text. (A dev tool: it does not depend on
 * plugin-sdk, so this mirrors NetifydError's shape instead of extending it.)
 */
export class LabError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabError';
    this.code = code;
  }
}

/** A command run by the lab exited non-zero, was killed, or timed out. */
export class LabCommandError extends LabError {
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(argv: readonly string[], exitCode: number | null, stdout: string, stderr: string, reason: string) {
    const detail = firstLine(stderr) || firstLine(stdout);
    super('ERR_LAB_COMMAND', `\`${argv.join(' ')}\` ${reason}${detail ? `: ${detail}` : ''}`);
    this.name = 'LabCommandError';
    this.argv = argv;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
