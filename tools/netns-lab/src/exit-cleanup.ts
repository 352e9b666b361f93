/**
 * Last-chance cleanup when the process ends while labs are still up: on 'exit' (also
 * reached after an uncaught exception) and on SIGINT/SIGTERM/SIGHUP. Handlers must be
 * synchronous here, so each registered cleanup kills its processes and deletes its
 * namespaces with blocking calls.
 */
type SyncCleanup = () => void;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const pending = new Set<SyncCleanup>();
let attached = false;

/** Registers a cleanup; call the returned function once the resource is gone. */
export function registerExitCleanup(cleanup: SyncCleanup): () => void {
  pending.add(cleanup);
  attach();
  return () => {
    pending.delete(cleanup);
    if (pending.size === 0) detach();
  };
}

function runPending(): void {
  for (const cleanup of [...pending]) {
    pending.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: the process is going away; carry on with the other labs.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runPending();
  detach();
  // Restore the default action (terminate) unless the program has its own handler.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function attach(): void {
  if (attached) return;
  attached = true;
  process.on('exit', runPending);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function detach(): void {
  if (!attached) return;
  attached = false;
  process.off('exit', runPending);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
