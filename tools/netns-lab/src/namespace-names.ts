import { LabError } from './errors.js';
import { runCommand } from './run-command.js';

const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,7}$/;
let counter = 0;

/** `<prefix>-<pid>-<n>-a` / `-b`: unique per process, and the pid tells whose lab it is. */
export function nextNamespacePair(prefix: string): { nsA: string; nsB: string } {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new LabError(
      'ERR_LAB_OPTION',
      `createLab: namePrefix must be 1-8 lower-case letters or digits starting with a letter (got ${JSON.stringify(prefix)})`,
    );
  }
  counter += 1;
  const base = `${prefix}-${process.pid}-${counter}`;
  return { nsA: `${base}-a`, nsB: `${base}-b` };
}

/** Names listed by `ip netns list` (which prints "name (id: N)" for namespaces with an id). */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await runCommand(['ip', 'netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/**
 * Deletes namespaces left by labs whose process died without cleaning up (SIGKILL,
 * power loss). Only names of this tool's shape whose pid is no longer alive are touched.
 */
export async function removeStaleLabs(prefix = 'nd'): Promise<string[]> {
  const shape = new RegExp(`^${escapeRegExp(prefix)}-(\\d+)-\\d+-[ab]$`);
  const removed: string[] = [];
  for (const name of await listNamespaces()) {
    const pid = Number(shape.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    await runCommand(['ip', 'netns', 'del', name]);
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
