import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../src/index.js';
import { Broker } from './helpers/broker.js';
import { COLLECTOR_CLI } from './helpers/paths.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { delay, waitFor } from './helpers/wait.js';

interface Outcome {
  readonly code: number;
  readonly stderr: string;
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [COLLECTOR_CLI, ...args], { env: { ...process.env, ...env }, timeout: 10_000 });
    return { code: 0, stderr };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('collector CLI and start errors', () => {
  it('usage errors exit 2 with one line naming the option', async () => {
    const missing = await runCli([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^netifyd-aggregate-collector: --url is required\n/);
    const seconds = await runCli(['--url', 'mqtt://127.0.0.1:1', '--seconds', 'soon']);
    expect(seconds.code).toBe(2);
    expect(seconds.stderr).toContain('--seconds must be a positive number (got "soon")');
    const unknown = await runCli(['--url', 'mqtt://127.0.0.1:1', '--qos', '2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--qos'");
  });

  it('a bad URL, a bad topic or an unreachable broker: exit 1, one line with the code, no stack, no password', async () => {
    const scheme = await runCli(['--url', 'http://127.0.0.1:1883']);
    expect(scheme.code).toBe(1);
    expect(scheme.stderr).toBe('netifyd-aggregate-collector: broker URL must start with mqtt://, mqtts://, ws:// or wss:// (got "http://127.0.0.1:1883") (ERR_COLLECTOR_URL)\n');
    const credentials = await runCli(['--url', 'mqtt://user:hunter2@127.0.0.1:1883']);
    expect(credentials.stderr).toContain('(ERR_COLLECTOR_URL)');
    expect(credentials.stderr).not.toContain('hunter2');
    const topic = await runCli(['--url', 'mqtt://127.0.0.1:1883', '--topic', 'netify/#']);
    expect(topic.stderr).toContain('(got "netify/#") (ERR_COLLECTOR_TOPIC)');
    // A port nobody listens on (the kernel refuses the connection at once).
    const refused = await runCli(['--url', 'mqtt://127.0.0.1:1', '--username', 'collector'], { NETIFY_COLLECTOR_PASSWORD: 'hunter2' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot connect to mqtt:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.*\(ERR_COLLECTOR_CONNECT\)\n$/);
    expect(refused.stderr).not.toContain('hunter2');
    expect(refused.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('an unreadable CA file is named with ERR_COLLECTOR_CA', async () => {
    await expect(Collector.start({ url: 'mqtts://127.0.0.1:1', caFile: '/nonexistent/ca.pem' })).rejects.toMatchObject({
      code: 'ERR_COLLECTOR_CA',
      message: 'CA file cannot be read: ENOENT (got "/nonexistent/ca.pem")',
    });
  });
});

describe('collector against the example broker (real Mosquitto, example ACL)', () => {
  let root: string | undefined;
  let broker: Broker | undefined;

  beforeAll(async () => {
    root = await makeTempDir('netifyd-aggregate-auth');
    broker = await Broker.start(root, { 'AG-CC-00-01': 'agent-secret', 'AG-CC-00-02': 'agent-secret-2', collector: 'collector-secret' });
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(root);
  });

  it('a wrong password fails at once with ERR_COLLECTOR_CONNECT, without the password', async () => {
    const url = broker?.url ?? '';
    const failure = Collector.start({ url, username: 'collector', password: 'wrong-secret' });
    await expect(failure).rejects.toMatchObject({ code: 'ERR_COLLECTOR_CONNECT' });
    await expect(failure).rejects.toThrow(/Not authorized/);
    await expect(failure).rejects.not.toThrow(/wrong-secret/);
  });

  it("an agent account reads nothing of other agents' topics, while the collector account gets them", async () => {
    const url = broker?.url ?? '';
    const snooper = await Collector.start({ url, username: 'AG-CC-00-01', password: 'agent-secret' });
    const collector = await Collector.start({ url, username: 'collector', password: 'collector-secret' });
    try {
      const other = await connectAsync(url, { username: 'AG-CC-00-02', password: 'agent-secret-2' });
      await other.publishAsync('netify/AG-CC-00-02/flows', '{"type":"flow","flow":{"digest":"d1"}}', { qos: 1 });
      await other.endAsync();
      expect(await waitFor(() => collector.ledger.agent('AG-CC-00-02') !== undefined, 5000)).toBe(true);
      await delay(200);
      expect(snooper.ledger.agents()).toEqual([]);
    } finally {
      await snooper.stop();
      await collector.stop();
    }
  });
});
