// Ensures a lab is built as documented (namespaces, veth, addresses, quiet IPv6) and that
// its namespaces and processes always go away: destroy(), a throwing body, an uncaught
// exception, SIGINT.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canCreateNetns, createLab, listNamespaces, removeStaleLabs, startCapture, withLab, type Lab } from '../src/index.js';
import { namespacesOf, processAlive, runNode, waitForProcessGone } from './helpers/processes.js';

const preflight = await canCreateNetns();
if (!preflight.ok) console.warn(`netns-lab lifecycle tests skipped: ${preflight.reason}`);

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe.skipIf(!preflight.ok)('lab lifecycle (root)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab();
  });
  afterAll(async () => {
    await lab?.destroy();
  });

  it('creates two uniquely named namespaces with the veth ends, addresses, loopback and links up', async () => {
    expect(lab.nsA).toMatch(new RegExp(`^nd-${process.pid}-\\d+-a$`));
    expect(lab.nsB).toBe(lab.nsA.replace(/-a$/, '-b'));
    expect(await listNamespaces()).toEqual(expect.arrayContaining([lab.nsA, lab.nsB]));

    const [ifaceA] = JSON.parse((await lab.exec(lab.nsA, ['ip', '-j', 'addr', 'show', 'dev', lab.ifA])).stdout) as IpAddr[];
    expect(ifaceA?.operstate).toBe('UP');
    expect(ifaceA?.address).toBe(lab.macA);
    expect(addresses(ifaceA)).toEqual([`${lab.addrA.ipv4}/24`, `${lab.addrA.ipv6}/64`]);
    const [ifaceB] = JSON.parse((await lab.exec(lab.nsB, ['ip', '-j', 'addr', 'show', 'dev', lab.ifB])).stdout) as IpAddr[];
    expect(addresses(ifaceB)).toEqual([`${lab.addrB.ipv4}/24`, `${lab.addrB.ipv6}/64`]);
    const [loopback] = JSON.parse((await lab.exec(lab.nsA, ['ip', '-j', 'link', 'show', 'dev', 'lo'])).stdout) as IpAddr[];
    expect(loopback?.flags).toContain('UP');
  });

  it('turns off IPv6 autoconf, RA and router solicitations and adds no link-local address', async () => {
    for (const [ns, iface] of [[lab.nsA, lab.ifA], [lab.nsB, lab.ifB]] as const) {
      const { stdout } = await lab.exec(ns, [
        'sysctl', '-n', `net.ipv6.conf.${iface}.accept_ra`, `net.ipv6.conf.${iface}.autoconf`,
        `net.ipv6.conf.${iface}.router_solicitations`,
      ]);
      expect(stdout.trim().split('\n')).toEqual(['0', '0', '0']);
      const linkLocal = await lab.exec(ns, ['ip', '-6', 'addr', 'show', 'dev', iface, 'scope', 'link']);
      expect(linkLocal.stdout.trim()).toBe('');
    }
  });

  it('an idle lab puts no packets on the veth (no RS, MLD or ND chatter)', async () => {
    const capture = await startCapture(lab, lab.nsA, { interfaceName: lab.ifA, outPath: '/dev/null' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await capture.stop()).toEqual({ packetsCaptured: 0 });
  });

  it('createLab refuses a bad name prefix or timeout with ERR_LAB_OPTION and leaves nothing behind', async () => {
    // Only this process's names: other test processes may be building labs right now.
    const before = namespacesOf(await listNamespaces(), process.pid);
    await expect(createLab({ namePrefix: 'Bad Prefix' })).rejects.toMatchObject({
      code: 'ERR_LAB_OPTION',
      message: expect.stringContaining('namePrefix must be 1-8 lower-case letters or digits starting with a letter (got "Bad Prefix")'),
    });
    await expect(createLab({ commandTimeoutMs: -1 })).rejects.toMatchObject({ code: 'ERR_LAB_OPTION' });
    expect(namespacesOf(await listNamespaces(), process.pid)).toEqual(before);
  });

  it('exec rejects a namespace outside the lab and reports a failed command with its stderr', async () => {
    await expect(lab.exec('nd-not-mine', ['true'])).rejects.toMatchObject({ code: 'ERR_LAB_UNKNOWN_NAMESPACE' });
    const failure = lab.exec(lab.nsA, ['ip', 'link', 'show', 'dev', 'no-such-if']);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_LAB_COMMAND', exitCode: 1 });
    await expect(failure).rejects.toThrow(/no-such-if/);
  });

  it('spawn gives up on a missing ready line within its bound and stops the process', async () => {
    const duration = `30.${process.pid}`; // unique argv, so pgrep cannot see anyone else's sleep
    const started = Date.now();
    const attempt = lab.spawn(lab.nsB, ['sleep', duration], { readyPattern: /^READY /, readyTimeoutMs: 300 });
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_LAB_PROCESS' });
    expect(Date.now() - started).toBeLessThan(3_000);
    const { stdout } = await lab.exec(lab.nsB, ['sh', '-c', `pgrep -f '^sleep ${duration}$' || true`]);
    expect(stdout.trim()).toBe(''); // the sleeper was stopped, not left running
  });
});

describe.skipIf(!preflight.ok)('lab cleanup (root)', () => {
  it('destroy() stops spawned processes, removes both namespaces and can be called twice', async () => {
    const lab = await createLab();
    const sleeper = await lab.spawn(lab.nsB, ['sleep', '30']);
    expect(sleeper.pid && processAlive(sleeper.pid)).toBe(true);
    await lab.destroy();
    await lab.destroy();
    expect(await sleeper.exited).toMatchObject({ signal: 'SIGTERM' });
    const names = await listNamespaces();
    expect(names).not.toContain(lab.nsA);
    expect(names).not.toContain(lab.nsB);
    await expect(lab.exec(lab.nsA, ['true'])).rejects.toMatchObject({ code: 'ERR_LAB_DESTROYED' });
  });

  it('withLab destroys the lab when the body throws', async () => {
    let seen: string[] = [];
    await expect(
      withLab({}, async (lab) => {
        seen = [lab.nsA, lab.nsB];
        expect(await listNamespaces()).toEqual(expect.arrayContaining(seen));
        throw new Error('step failed on purpose');
      }),
    ).rejects.toThrow('step failed on purpose');
    expect(seen).toHaveLength(2);
    const names = await listNamespaces();
    for (const name of seen) expect(names).not.toContain(name);
  });

  it('a process that dies of an uncaught exception leaves no namespace or process behind', async () => {
    const run = await runNode([fixture('lab-then-exit.mjs'), 'throw'], { timeoutMs: 20_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('deliberate uncaught exception');
    const created = JSON.parse(run.stdout.trim()) as { nsA: string; nsB: string; sleeperPid: number };
    const names = await listNamespaces();
    expect(names).not.toContain(created.nsA);
    expect(names).not.toContain(created.nsB);
    expect(await waitForProcessGone(created.sleeperPid)).toBe(true);
  });

  it('a process stopped with SIGINT removes its namespaces and processes, then dies of SIGINT', async () => {
    let created: { nsA: string; nsB: string; sleeperPid: number } | undefined;
    const run = await runNode([fixture('lab-then-exit.mjs'), 'wait'], {
      timeoutMs: 20_000,
      onStdoutLine: (line, child) => {
        created = JSON.parse(line) as typeof created;
        child.kill('SIGINT');
      },
    });
    expect(run.signal).toBe('SIGINT');
    expect(created).toBeDefined();
    const names = await listNamespaces();
    expect(names).not.toContain(created?.nsA);
    expect(names).not.toContain(created?.nsB);
    expect(await waitForProcessGone(created?.sleeperPid ?? 0)).toBe(true);
  });

  it('removeStaleLabs deletes namespaces of dead lab processes only', async () => {
    // A prefix of this process's own keeps concurrent test runs from touching these names.
    const prefix = `t${process.pid.toString(36)}`;
    const stale = `${prefix}-${await exitedPid()}-1-a`;
    const alive = `${prefix}-1-1-a`; // pid 1 always exists
    const lab = await createLab({ namePrefix: prefix }); // this process's own lab must survive too
    try {
      for (const name of [stale, alive]) await runIp(['netns', 'add', name]);
      expect(await removeStaleLabs(prefix)).toEqual([stale]);
      const names = await listNamespaces();
      expect(names).not.toContain(stale);
      expect(names).toEqual(expect.arrayContaining([alive, lab.nsA, lab.nsB]));
    } finally {
      await runIp(['netns', 'del', alive]).catch(() => undefined);
      await runIp(['netns', 'del', stale]).catch(() => undefined);
      await lab.destroy();
    }
  });
});

describe('preflight', () => {
  it.skipIf(process.getuid?.() !== 0)('explains why a lab cannot be built when not root', async () => {
    const run = await runNode([fixture('preflight-report.mjs')], { uid: 65534, gid: 65534 });
    const report = JSON.parse(run.stdout.trim()) as { ok: boolean; reason: string; requireRootCode: string };
    expect(report).toEqual({ ok: false, reason: 'network namespaces need root (running as uid 65534)', requireRootCode: 'ERR_LAB_NOT_ROOT' });
  });
});

interface IpAddr {
  operstate?: string;
  address?: string;
  flags?: string[];
  addr_info?: { local: string; prefixlen: number }[];
}

function addresses(iface: IpAddr | undefined): string[] {
  return (iface?.addr_info ?? []).map((info) => `${info.local}/${info.prefixlen}`);
}

function exitedPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('true');
    child.on('error', reject);
    child.on('close', () => resolve(child.pid ?? 0));
  });
}

function runIp(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ip ${args.join(' ')} exited ${code}`))));
  });
}
