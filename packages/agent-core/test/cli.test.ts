// Ensures the netifyd command behaves as an operator expects: plugin switches edit only
// one line, listing shows what each module declares, signals reload and stop cleanly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, FORWARDING_PROCESSOR, RECORDING_SINK, REPO, Workspace } from './workspace.js';

function run(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('netifyd CLI', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
    ws.addPackage('recording-sink', RECORDING_SINK);
    ws.addPackage('forwarding-processor', FORWARDING_PROCESSOR);
  });
  afterEach(() => ws.cleanup());

  it('--disable-plugin/--enable-plugin round-trip keeps every other byte of the loader file', () => {
    const file = join(ws.plugins, '10-sink.conf');
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink', { record: ws.record('sink') });
    const original = readFileSync(file, 'utf8');
    expect(run(['-c', ws.conf, '--disable-plugin', 'sink-rec'])).toMatchObject({ code: 0 });
    const disabled = readFileSync(file, 'utf8');
    expect(disabled).toBe(original.replace('enable = yes', 'enable = no'));
    expect(run(['-c', ws.conf, '--enable-plugin', 'sink-rec'])).toMatchObject({ code: 0 });
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('an unknown plugin name exits non-zero listing the known ones', () => {
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink');
    ws.addLoader('20-proc.conf', 'proc-fwd', 'forwarding-processor');
    const result = run(['-c', ws.conf, '--enable-plugin', 'sink-nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`netifyd: unknown plugin "sink-nope" in ${ws.plugins} (known: sink-rec, proc-fwd)\n`);
  });

  it('--list-plugins shows name, kind, version, ABI, enabled and loader file', () => {
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink');
    ws.addLoader('20-proc.conf', 'proc-fwd', 'forwarding-processor', undefined, 'no');
    const result = run(['-c', ws.conf, '--list-plugins']);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows).toEqual([
      ['NAME', 'KIND', 'VERSION', 'ABI', 'ENABLED', 'LOADER FILE'],
      ['sink-rec', 'sink', '1.2.3', '1.0', 'yes', join(ws.plugins, '10-sink.conf')],
      ['proc-fwd', 'processor', '1.2.3', '1.0', 'no', join(ws.plugins, '20-proc.conf')],
    ]);
  });

  it('lists the loader files shipped in etc/', () => {
    const result = run(['-c', join(REPO, 'etc/netifyd.conf'), '--list-plugins']);
    expect(result.code).toBe(0);
    for (const name of ['proc-core', 'sink-log', 'sink-socket', 'sink-http', 'sink-mqtt']) {
      expect(result.stdout).toContain(join(REPO, `etc/plugins.d/10-netify-${name}.conf`));
    }
  });

  it('prints version and plugin ABI; bad options and bad config exit 2 with one line', () => {
    expect(run(['-V']).stdout).toMatch(/^netifyd-ts \d+\.\d+\.\d+ \(plugin ABI 1\.0, /);
    expect(run(['--help']).stdout).toContain('--enable-plugin NAME');
    const badCidr = run(['-I', ws.conf, '-A', '10.0.0.0/40']);
    expect(badCidr).toMatchObject({ code: 2, stderr: 'netifyd: -A 10.0.0.0/40: prefix length must be 0-32\n' });
    expect(run(['-E', 'nosuchif0'])).toMatchObject({ code: 2, stderr: 'netifyd: -E nosuchif0: no such network interface or capture file\n' });
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink');
    const conf = readFileSync(ws.conf, 'utf8');
    writeFileSync(ws.conf, `${conf}max_flowz = 3\n`);
    const badKey = run(['-c', ws.conf, '--list-plugins']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/netifyd: .*netifyd\.conf:\d+: \[netifyd\] max_flowz: unknown key \(did you mean "max_flows"\?\)\n$/);
  });

  it('SIGHUP in the middle of a capture restarts a sink without reload() and loses no event', async () => {
    // The processor keeps the sink handle it got at start, as proc-core does.
    ws.addPackage('caching-processor', FORWARDING_PROCESSOR.replace('async start() {}', 'async start() { this.sink = context.sinks.get(config.sink); }').replace('const sink = context.sinks.get(config.sink);', 'const sink = this.sink;'));
    ws.addPackage('plain-sink', RECORDING_SINK.replace(/async reload\(raw\) \{[^\n]*\n/, ''));
    ws.addLoader('10-sink.conf', 'sink-plain', 'plain-sink', { record: ws.record('sink') });
    ws.addLoader('20-proc.conf', 'proc-cache', 'caching-processor', { record: ws.record('proc'), sink: 'sink-plain' });
    const capture = join(REPO, 'captures/sample-lab.pcap');
    const child = spawn(process.execPath, [CLI, '-c', ws.conf, '-I', capture, '--replay'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor('the first flow', () => (ws.recorded('proc').some((r) => r.event === 'flow_new') ? true : undefined));
      child.kill('SIGHUP');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const seen = ws.recorded('proc').filter((r) => r.event).map((r) => r.event);
    const delivered = ws.recorded('sink').filter((r) => r.channel).map((r) => (r.body as { type: string }).type);
    expect(ws.recorded('sink').filter((r) => r.lifecycle === 'start')).toHaveLength(2);
    expect(seen.filter((e) => e === 'flow_expire')).toHaveLength(12);
    expect(delivered).toEqual(seen);
  });

  it('SIGHUP reloads a changed plugin config without restart; SIGTERM stops cleanly', async () => {
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink', { record: ws.record('sink'), channels: ['a'] });
    ws.addLoader('20-proc.conf', 'proc-fwd', 'forwarding-processor', { record: ws.record('proc'), sink: 'sink-rec' });
    const child = spawn(process.execPath, [CLI, '-c', ws.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor('agent start', () => (ws.recorded('proc').some((r) => r.event === 'agent_start') ? true : undefined));
      await waitFor('a tick', () => (ws.recorded('proc').some((r) => r.event === 'tick') ? true : undefined));
      ws.writeConfig('sink-rec', { record: ws.record('sink'), channels: ['b'] });
      child.kill('SIGHUP');
      const reload = await waitFor('reload', () => ws.recorded('sink').find((r) => r.lifecycle === 'reload'));
      expect(reload.config).toEqual({ record: ws.record('sink'), channels: ['b'] });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const proc = ws.recorded('proc');
    expect(proc.filter((r) => r.event === 'agent_start')).toHaveLength(1);
    expect(proc.slice(-3)).toEqual([{ event: 'tick' }, { event: 'agent_stop' }, { lifecycle: 'stop' }]);
    expect(ws.recorded('sink').at(-1)).toEqual({ lifecycle: 'stop' });
    expect(stderr).toContain('configuration reloaded');
  });
});

