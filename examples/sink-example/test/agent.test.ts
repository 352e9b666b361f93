// Ensures the example loads into the real agent from a loader file naming its path, with
// proc-core routing stream-flows to it, and receives every flow of a capture: each flow the
// agent counted arrives as a `flow` message and is purged once.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'packages/agent-core/dist/cli.js');
const CAPTURE = join(ROOT, 'captures/sample-lab.pcap');
const EXAMPLE = fileURLToPath(new URL('../index.js', import.meta.url));

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** An /etc/netifyd laid out in a temp dir: netifyd.conf, loader files, plugin configs. */
function install(): { conf: string; output: string } {
  dir = mkdtempSync(join(tmpdir(), 'sink-example-agent-'));
  const etc = join(dir, 'etc');
  mkdirSync(join(etc, 'plugins.d'), { recursive: true });
  mkdirSync(join(dir, 'run'));
  const output = join(dir, 'flows.jsonl');
  writeFileSync(join(etc, 'netifyd.conf'), `[netifyd]\nupdate_interval = 5\npath_state_volatile = ${join(dir, 'run')}\n`);
  const loader = (name: string, library: string) =>
    `[${name}]\nenable = yes\nplugin_library = ${library}\nconf_filename = \${path_state_persistent}/netify-${name}.json\n`;
  writeFileSync(join(etc, 'plugins.d', '10-netify-proc-core.conf'), loader('proc-core', '@netifyd/proc-core'));
  writeFileSync(join(etc, 'plugins.d', '20-netify-sink-example.conf'), loader('sink-example', EXAMPLE));
  const procCore = { format: 'json', compressor: 'none', sinks: { 'sink-example': { flows: { enable: true, types: ['stream-flows'] } } } };
  writeFileSync(join(etc, 'netify-proc-core.json'), JSON.stringify(procCore));
  writeFileSync(join(etc, 'netify-sink-example.json'), JSON.stringify({ path: output, channels: ['flows'] }));
  return { conf: join(etc, 'netifyd.conf'), output };
}

function runAgent(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('sink-example in the agent', () => {
  it('receives every flow of sample-lab.pcap through proc-core', async () => {
    const { conf, output } = install();
    const { code, stderr } = await runAgent(['-c', conf, '-I', CAPTURE], 60_000);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/^\s+at |Error:|sink-example.*(error|refused)/m);
    const counted = Number(/^netifyd: \d+ packets, (\d+) flows/m.exec(stderr)?.[1]);
    expect(counted, 'the CLI summary line').toBeGreaterThan(0);

    const messages = readFileSync(output, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { type: string; interface?: string; flow?: { digest: string } });
    const digestsOf = (type: string) => messages.filter((m) => m.type === type).map((m) => m.flow?.digest);
    const flows = digestsOf('flow');
    expect(flows).toHaveLength(counted);
    expect(new Set(flows).size).toBe(counted);
    expect(flows.every((digest) => /^[0-9a-f]{40}$/.test(digest ?? ''))).toBe(true);
    expect(messages.filter((m) => m.type === 'flow').every((m) => m.interface === 'offline0')).toBe(true);
    expect(digestsOf('flow_purge').sort()).toEqual([...flows].sort());
  });
});
