import { execFileSync } from 'node:child_process';
import { LabError } from './errors.js';
import { registerExitCleanup } from './exit-cleanup.js';
import { LabProcess, type OutputStream } from './lab-process.js';
import { listNamespaces, nextNamespacePair } from './namespace-names.js';
import {
  LAB_IPV4_CIDR,
  LAB_IPV6_CIDR,
  LAB_LAYOUT,
  configureEnd,
  createVethPair,
  quietIpv6,
  waitForLinksUp,
  type LabAddresses,
} from './network-setup.js';
import { requireRoot } from './preflight.js';
import { runCommand, type CommandResult } from './run-command.js';

export interface LabOptions {
  /** First part of the namespace names (default `nd`): 1-8 of [a-z0-9], starting with a letter. */
  namePrefix?: string;
  /** Upper bound for each setup command and for `exec` unless it passes its own (default 10 s). */
  commandTimeoutMs?: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
}

export interface SpawnOptions {
  /** Wait for a line matching this before resolving (e.g. a server's `READY` line). */
  readyPattern?: RegExp;
  readyStream?: OutputStream;
  /** Bound for the ready line (default 5 s); on timeout the process is stopped. */
  readyTimeoutMs?: number;
}

export interface Lab {
  readonly nsA: string;
  readonly nsB: string;
  readonly ifA: string;
  readonly ifB: string;
  readonly macA: string;
  readonly macB: string;
  readonly addrA: LabAddresses;
  readonly addrB: LabAddresses;
  readonly ipv4Cidr: string;
  readonly ipv6Cidr: string;
  /** Runs argv inside namespace `ns` (nsA or nsB) and waits for it to finish. */
  exec(ns: string, argv: readonly string[], options?: ExecOptions): Promise<CommandResult>;
  /** Starts argv inside `ns`; destroy() stops it if it is still running. */
  spawn(ns: string, argv: readonly string[], options?: SpawnOptions): Promise<LabProcess>;
  /** Stops spawned processes and deletes both namespaces. Safe to call more than once. */
  destroy(): Promise<void>;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
const DEFAULT_READY_TIMEOUT_MS = 5_000;
const NAME_ATTEMPTS = 5;

/** Two namespaces joined by a veth pair, addressed and up; see README for the layout. */
export async function createLab(options: LabOptions = {}): Promise<Lab> {
  requireRoot();
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new LabError('ERR_LAB_OPTION', `createLab: commandTimeoutMs must be a positive integer (got ${String(options.commandTimeoutMs)})`);
  }
  const lab = new NamespaceLab(options.namePrefix ?? 'nd', timeoutMs);
  try {
    await lab.build();
  } catch (error) {
    await lab.destroy().catch(() => undefined);
    throw error;
  }
  return lab;
}

/** Runs `body` with a fresh lab and destroys the lab afterwards, also when `body` throws. */
export async function withLab<T>(options: LabOptions, body: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await createLab(options);
  try {
    return await body(lab);
  } finally {
    await lab.destroy();
  }
}

class NamespaceLab implements Lab {
  nsA = '';
  nsB = '';
  readonly ifA = LAB_LAYOUT.a.interfaceName;
  readonly ifB = LAB_LAYOUT.b.interfaceName;
  readonly macA = LAB_LAYOUT.a.mac;
  readonly macB = LAB_LAYOUT.b.mac;
  readonly addrA: LabAddresses = { ...LAB_LAYOUT.a.addresses };
  readonly addrB: LabAddresses = { ...LAB_LAYOUT.b.addresses };
  readonly ipv4Cidr = LAB_IPV4_CIDR;
  readonly ipv6Cidr = LAB_IPV6_CIDR;
  private readonly created: string[] = [];
  private readonly processes = new Set<LabProcess>();
  private readonly unregisterExitCleanup: () => void;
  private destroying: Promise<void> | undefined;

  constructor(
    private readonly prefix: string,
    private readonly timeoutMs: number,
  ) {
    this.unregisterExitCleanup = registerExitCleanup(() => this.destroySync());
  }

  async build(): Promise<void> {
    await this.addNamespaces();
    const a = { ...LAB_LAYOUT.a, namespace: this.nsA };
    const b = { ...LAB_LAYOUT.b, namespace: this.nsB };
    await Promise.all([quietIpv6(a.namespace, this.timeoutMs), quietIpv6(b.namespace, this.timeoutMs)]);
    await createVethPair(a, b, this.timeoutMs);
    await configureEnd(b, this.timeoutMs);
    await configureEnd(a, this.timeoutMs);
    await waitForLinksUp([a, b]);
  }

  async exec(ns: string, argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    this.assertUsable(ns);
    return await runCommand(['ip', 'netns', 'exec', ns, ...argv], {
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  }

  async spawn(ns: string, argv: readonly string[], options: SpawnOptions = {}): Promise<LabProcess> {
    this.assertUsable(ns);
    const child = new LabProcess(['ip', 'netns', 'exec', ns, ...argv]);
    this.processes.add(child);
    void child.exited.then(() => this.processes.delete(child));
    if (options.readyPattern) {
      try {
        await child.waitForLine(
          options.readyPattern,
          options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
          options.readyStream ?? 'stdout',
        );
      } catch (error) {
        await child.stop('SIGKILL');
        throw error;
      }
    }
    return child;
  }

  destroy(): Promise<void> {
    this.destroying ??= this.destroyOnce();
    return this.destroying;
  }

  private async addNamespaces(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { nsA, nsB } = nextNamespacePair(this.prefix);
      const existing = await listNamespaces();
      if (existing.includes(nsA) || existing.includes(nsB)) {
        // Left by an earlier process that had our pid and died uncleanly: never touch it.
        if (attempt < NAME_ATTEMPTS) continue;
        throw new LabError('ERR_LAB_NAME_TAKEN', `namespaces ${nsA}/${nsB} already exist (run removeStaleLabs())`);
      }
      this.nsA = nsA;
      this.nsB = nsB;
      for (const ns of [nsA, nsB]) {
        await runCommand(['ip', 'netns', 'add', ns], { timeoutMs: this.timeoutMs });
        this.created.push(ns);
      }
      return;
    }
  }

  private assertUsable(ns: string): void {
    if (this.destroying) throw new LabError('ERR_LAB_DESTROYED', `lab ${this.nsA}/${this.nsB} is already destroyed`);
    if (ns !== this.nsA && ns !== this.nsB) {
      throw new LabError('ERR_LAB_UNKNOWN_NAMESPACE', `namespace ${JSON.stringify(ns)} is not part of this lab (expected ${this.nsA} or ${this.nsB})`);
    }
  }

  private async destroyOnce(): Promise<void> {
    await Promise.allSettled([...this.processes].map((child) => child.stop()));
    const failures: string[] = [];
    for (const ns of this.created) {
      try {
        if ((await listNamespaces()).includes(ns)) await runCommand(['ip', 'netns', 'del', ns], { timeoutMs: this.timeoutMs });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    this.unregisterExitCleanup();
    if (failures.length > 0) {
      throw new LabError('ERR_LAB_DESTROY', `could not delete every namespace: ${failures.join('; ')}`);
    }
  }

  /** Exit-handler path: nothing may be awaited, so kill and delete synchronously. */
  private destroySync(): void {
    for (const child of this.processes) child.killNow();
    for (const ns of this.created) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore', timeout: 5_000 });
      } catch {
        // Already gone, or ip failed: nothing more can be done while exiting.
      }
    }
  }
}
