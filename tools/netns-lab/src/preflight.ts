import { LabError } from './errors.js';
import { runCommand } from './run-command.js';

export type PreflightResult = { ok: true } | { ok: false; reason: string };

let cachedNetnsCheck: Promise<PreflightResult> | undefined;

/** Throws ERR_LAB_NOT_ROOT unless this process can manage network namespaces. */
export function requireRoot(): void {
  const reason = rootProblem();
  if (reason) throw new LabError('ERR_LAB_NOT_ROOT', reason);
}

/**
 * Whether a lab can be built here: Linux, root, iproute2's `ip`, and a real probe
 * namespace created and removed (containers may be root yet lack CAP_SYS_ADMIN).
 * The answer is cached for the process; tests print `reason` when they skip.
 */
export function canCreateNetns(): Promise<PreflightResult> {
  cachedNetnsCheck ??= probeNetns();
  return cachedNetnsCheck;
}

/** Whether `program` runs at all (`program versionFlag` exits 0). */
export async function commandAvailable(program: string, versionFlag = '--version'): Promise<boolean> {
  try {
    await runCommand([program, versionFlag], { timeoutMs: 5_000 });
    return true;
  } catch {
    return false;
  }
}

function rootProblem(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  const uid = process.getuid?.();
  if (uid !== 0) return `network namespaces need root (running as uid ${uid ?? 'unknown'})`;
  return undefined;
}

async function probeNetns(): Promise<PreflightResult> {
  const reason = rootProblem();
  if (reason) return { ok: false, reason };
  if (!(await commandAvailable('ip', '-V'))) {
    return { ok: false, reason: "iproute2's `ip` is not installed (Debian package iproute2)" };
  }
  const probe = `nd-probe-${process.pid}`;
  try {
    await runCommand(['ip', 'netns', 'add', probe]);
  } catch (error) {
    return { ok: false, reason: `cannot create a network namespace: ${(error as Error).message}` };
  }
  try {
    await runCommand(['ip', 'netns', 'del', probe]);
  } catch (error) {
    return { ok: false, reason: `cannot delete probe namespace ${probe}: ${(error as Error).message}` };
  }
  return { ok: true };
}
