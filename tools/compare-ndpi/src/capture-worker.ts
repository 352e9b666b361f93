// Child process: runs the engine over one capture and sends the flows to the parent over IPC,
// so that an engine crash ends this process only and the comparison carries on.
import { runEngineOnCapture } from './engine-run.js';
import type { WorkerMessage } from './run-isolated.js';

async function main(): Promise<void> {
  const path = process.argv[2];
  let message: WorkerMessage;
  try {
    if (path === undefined) throw new Error('usage: capture-worker <capture>');
    message = { ok: true, ...(await runEngineOnCapture(path)) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    message = { ok: false, error: `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}` };
  }
  // Exit once sent: the parent's per-capture timeout should measure the run, not a slow teardown.
  process.send?.(message, () => process.exit(0));
}

void main();
