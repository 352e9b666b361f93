import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineFlow } from './engine-flow.js';

export type WorkerMessage = { ok: true; flows: EngineFlow[]; sourceError?: string } | { ok: false; error: string };

export type IsolatedResult = { flows: EngineFlow[]; sourceError?: string } | { error: string };

const WORKER = fileURLToPath(new URL('./capture-worker.js', import.meta.url));
const STDERR_KEEP = 2000;

/**
 * Runs the engine over one capture in a child process (`worker`: the capture worker script);
 * a crash or hang becomes `{ error }`.
 */
export function runCaptureIsolated(capture: string, timeoutMs: number, worker = WORKER): Promise<IsolatedResult> {
  return new Promise((resolve) => {
    const child = fork(worker, [capture], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let message: WorkerMessage | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on('message', (received) => {
      message = received as WorkerMessage;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: `cannot start the engine process: ${error.message}` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (message?.ok) {
        resolve({ flows: message.flows, ...(message.sourceError === undefined ? {} : { sourceError: message.sourceError }) });
        return;
      }
      if (message) {
        resolve({ error: message.error });
        return;
      }
      const lastLine = stderr.trim().split('\n').pop() ?? '';
      const how = timedOut ? `timed out after ${timeoutMs / 1000} s` : signal ? `crashed (${signal})` : `exited with code ${code}`;
      resolve({ error: `engine process ${how}${lastLine ? `: ${lastLine}` : ''}` });
    });
  });
}
