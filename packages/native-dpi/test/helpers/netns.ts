// A pair of network namespaces joined by a veth pair, for live-capture tests. Everything
// is created under names carrying this process's pid and removed by destroy().
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface NetnsPair {
  nsA: string;
  nsB: string;
  ifA: string;
  addrA: string;
  addrB: string;
  exec(ns: string, argv: string[]): Promise<string>;
  destroy(): Promise<void>;
}

/** Why live tests cannot run here, or undefined when they can. */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return `not root (uid ${process.getuid?.()})`;
  const probe = `ndpi-probe-${process.pid}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'del', probe]);
    return undefined;
  } catch (error) {
    return `cannot create a network namespace: ${(error as Error).message.split('\n')[0]}`;
  }
}

export async function createNetnsPair(): Promise<NetnsPair> {
  const base = `ndpi-${process.pid}`;
  const pair: NetnsPair = {
    nsA: `${base}-a`,
    nsB: `${base}-b`,
    ifA: 'veth-a',
    addrA: '10.99.0.1',
    addrB: '10.99.0.2',
    async exec(ns, argv) {
      const { stdout } = await run('ip', ['netns', 'exec', ns, ...argv], { timeout: 10_000 });
      return stdout;
    },
    async destroy() {
      for (const ns of [pair.nsA, pair.nsB]) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    },
  };
  try {
    await run('ip', ['netns', 'add', pair.nsA]);
    await run('ip', ['netns', 'add', pair.nsB]);
    await run('ip', ['link', 'add', 'veth-a', 'netns', pair.nsA, 'type', 'veth', 'peer', 'name', 'veth-b', 'netns', pair.nsB]);
    for (const [ns, dev, addr] of [
      [pair.nsA, 'veth-a', pair.addrA],
      [pair.nsB, 'veth-b', pair.addrB],
    ] as const) {
      await pair.exec(ns, ['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
      await pair.exec(ns, ['sysctl', '-q', '-w', 'net.ipv6.conf.default.disable_ipv6=1']);
      await pair.exec(ns, ['ip', 'addr', 'add', `${addr}/24`, 'dev', dev]);
      await pair.exec(ns, ['ip', 'link', 'set', dev, 'up']);
      await pair.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    }
    return pair;
  } catch (error) {
    await pair.destroy();
    throw error;
  }
}
