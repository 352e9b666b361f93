import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './paths.js';
import { waitFor, within } from './wait.js';

export interface AgentExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

const running = new Set<AgentProcess>();

/** The agent CLI as a real child process (`node dist/cli.js ARGS`), output collected. */
export class AgentProcess {
  private readonly child: ChildProcess;
  private out = '';
  private err = '';
  private readonly started = Date.now();
  readonly exited: Promise<AgentExit>;

  constructor(args: readonly string[], command: readonly string[] = [process.execPath, CLI]) {
    this.child = spawn(command[0]!, [...command.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.err += chunk));
    running.add(this);
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => {
        running.delete(this);
        resolve({ code, signal, stdout: this.out, stderr: this.err, elapsedMs: Date.now() - this.started });
      });
    });
  }

  /** Resolves with the first match of `pattern` in stderr so far or later. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return waitFor(`${pattern} on the agent's stderr (so far: ${JSON.stringify(this.err.slice(-500))})`, () => pattern.exec(this.err) ?? undefined, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Waits for exit; on timeout the process is killed and the wait rejects. */
  async wait(timeoutMs: number): Promise<AgentExit> {
    try {
      return await within('the agent to exit', this.exited, timeoutMs);
    } catch (error) {
      this.signal('SIGKILL');
      throw new Error(`${(error as Error).message}; stderr: ${this.err.slice(-1000)}`);
    }
  }
}

/** Runs the CLI to completion (capture files, bad input). */
export function runAgent(args: readonly string[], timeoutMs = 30_000, command?: readonly string[]): Promise<AgentExit> {
  return new AgentProcess(args, command).wait(timeoutMs);
}

/** Kills agents a failed test left running (afterEach/afterAll). */
export async function killLeftoverAgents(): Promise<void> {
  const leftovers = [...running];
  for (const agent of leftovers) agent.signal('SIGKILL');
  await Promise.all(leftovers.map((agent) => agent.exited.catch(() => undefined)));
}
