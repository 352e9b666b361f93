import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, formatReport } from '../src/index.js';
import type { AgentSummary, Delivery } from '../src/index.js';
import { AgentProcess, readReference, writeAgentConfig } from './helpers/agent.js';
import type { AgentRun } from './helpers/agent.js';
import { Broker } from './helpers/broker.js';
import { COLLECTOR_CLI, REPO_ROOT, corpusCaptures } from './helpers/paths.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { delay, waitFor } from './helpers/wait.js';

const AGENT_UUIDS = ['AG-AA-00-01', 'AG-AA-00-02', 'AG-AA-00-03'] as const;
const CORPUS_CAPTURES = ['1kxun.pcap', 'wechat.pcap', 'skype.pcap'] as const;
const COLLECTOR_USER = 'collector';
const COLLECTOR_PASSWORD = 'collector-secret';
const FORGED_DIGEST = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';

interface AgentCase {
  readonly uuid: string;
  readonly capture: string;
  readonly dir: string;
  run?: AgentRun;
  /** sink-log's lines of the same run: the messages the agent sent, in order. */
  reference: string[];
  /** What the collector got under this agent's topic, in arrival order. */
  readonly deliveries: Delivery[];
}

interface FlowLine {
  readonly type: string;
  readonly flow?: { readonly digest?: string };
}

const parse = (line: string): FlowLine => JSON.parse(line) as FlowLine;
const uniqueLines = (agent: AgentCase): string[] => agent.deliveries.filter((d) => d.kind !== 'duplicate').map((d) => d.payload.toString('utf8'));
const purgedDigests = (lines: readonly string[]): Set<string> =>
  new Set(lines.map(parse).flatMap((m) => (m.type === 'flow_purge' && m.flow?.digest ? [m.flow.digest] : [])));

describe('aggregation: three agents publish through sink-mqtt to one Mosquitto, one collector dedups', () => {
  let root: string | undefined;
  let broker: Broker | undefined;
  let collector: Collector | undefined;
  let cli: ChildProcess | undefined;
  let cliSummaries: AgentSummary[] = [];
  const processes: AgentProcess[] = [];
  const agents: AgentCase[] = [];
  const byUuid = new Map<string, AgentCase>();
  const foreign: Delivery[] = [];
  let usesCorpus = false;

  beforeAll(async () => {
    const started = Date.now();
    root = await makeTempDir('netifyd-aggregate');
    const corpus = corpusCaptures();
    usesCorpus = corpus !== undefined;
    const captures = corpus
      ? CORPUS_CAPTURES.map((name) => join(corpus, name))
      : AGENT_UUIDS.map(() => join(REPO_ROOT, 'captures/sample-lab.pcap'));
    if (!corpus) {
      console.log('[aggregate] capture corpus not found (NETIFYD_CORPUS): all three agents read captures/sample-lab.pcap, each with its own uuid');
    }

    const passwords = Object.fromEntries(AGENT_UUIDS.map((uuid, index) => [uuid, `agent-secret-${index}`]));
    await mkdir(join(root, 'broker'));
    broker = await Broker.start(join(root, 'broker'), { ...passwords, [COLLECTOR_USER]: COLLECTOR_PASSWORD });

    for (const [index, uuid] of AGENT_UUIDS.entries()) {
      const agent: AgentCase = { uuid, capture: captures[index] ?? '', dir: join(root, uuid), reference: [], deliveries: [] };
      agents.push(agent);
      byUuid.set(uuid, agent);
    }
    collector = await Collector.start({
      url: broker.url,
      username: COLLECTOR_USER,
      password: COLLECTOR_PASSWORD,
      onDelivery: (delivery) => (byUuid.get(delivery.agent)?.deliveries ?? foreign).push(delivery),
    });
    cli = await startCliCollector(broker.url);

    // An agent publishing under another agent's topic: the example ACL must drop it. The
    // PUBACK means the broker has handled it; routed, it would reach the collector long
    // before the agents below finish.
    const forger = await connectAsync(broker.url, { username: AGENT_UUIDS[0], password: passwords[AGENT_UUIDS[0]] ?? '' });
    await forger.publishAsync(`netify/${AGENT_UUIDS[1]}/flows`, JSON.stringify({ type: 'flow_purge', flow: { digest: FORGED_DIGEST } }), { qos: 1 });
    await forger.endAsync();

    for (const agent of agents) {
      await mkdir(agent.dir);
      const config = await writeAgentConfig(agent.dir, {
        uuid: agent.uuid,
        password: passwords[agent.uuid] ?? '',
        brokerPort: broker.port,
      });
      processes.push(new AgentProcess(config, agent.capture, 45_000));
    }
    const runs = await Promise.all(processes.map((agentProcess) => agentProcess.done));
    for (const [index, agent] of agents.entries()) {
      agent.run = runs[index];
      agent.reference = await readReference(agent.dir);
    }
    const agentsDoneMs = Date.now() - started;

    const complete = (): boolean => agents.every((agent) => uniqueLines(agent).length >= agent.reference.length);
    await waitFor(complete, 15_000);
    await delay(500); // late QoS 1 redeliveries would land here
    cliSummaries = await stopCliCollector(cli);
    cli = undefined;

    console.log(`[aggregate] captures: ${agents.map((a) => `${a.uuid} ← ${basename(a.capture)}`).join(', ')}`);
    for (const agent of agents) {
      console.log(`[aggregate] ${agent.uuid}: exit ${agent.run?.code}, ${agent.run?.ms} ms, ${agent.run?.stderr.match(/\d+ packets, \d+ flows[^,]*/)?.[0] ?? '?'}; reference ${agent.reference.length} messages`);
    }
    console.log(`[aggregate] collector (library):\n${formatReport(collector.ledger.summaries())}`);
    console.log(`[aggregate] agents done after ${agentsDoneMs} ms; everything collected after ${Date.now() - started} ms`);
  }, 90_000);

  afterAll(async () => {
    for (const agentProcess of processes) agentProcess.kill();
    cli?.kill('SIGKILL');
    await collector?.stop();
    await broker?.stop();
    await removeDir(root);
  });

  it('all three agents ran concurrently and exited 0 with flows to report', () => {
    for (const agent of agents) {
      expect(agent.run?.code, `${agent.uuid} stderr:\n${agent.run?.stderr}`).toBe(0);
      expect(agent.reference.filter((line) => parse(line).type === 'flow_purge').length).toBeGreaterThan(0);
    }
    expect(collector?.grantedQos).toBe(1);
  });

  it("each agent's purged digests over MQTT equal the digests its own sink-log wrote in the same run", () => {
    for (const agent of agents) {
      const ledger = collector?.ledger.agent(agent.uuid);
      expect(ledger, `${agent.uuid} delivered nothing`).toBeDefined();
      const expected = purgedDigests(agent.reference);
      expect([...(ledger?.purgedDigests() ?? [])].sort()).toEqual([...expected].sort());
      expect([...purgedDigests(uniqueLines(agent))].sort()).toEqual([...expected].sort());
    }
  });

  it('every message arrives exactly once after dedup, in the order the agent sent it; duplicates are counted apart', () => {
    for (const agent of agents) {
      const summary = collector?.ledger.agent(agent.uuid)?.summary();
      expect(uniqueLines(agent)).toEqual(agent.reference);
      expect(summary?.unique).toBe(agent.reference.length);
      expect(summary?.duplicates).toBe(agent.deliveries.length - agent.reference.length);
      expect(summary?.undecodable).toBe(0);
      const referencePurges = agent.reference.filter((line) => parse(line).type === 'flow_purge').length;
      const referenceCompletes = agent.reference.filter((line) => parse(line).type === 'flow_dpi_complete').length;
      expect(summary?.purged).toBe(referencePurges);
      expect(summary?.types['flow_dpi_complete']).toBe(referenceCompletes);
      expect(summary?.flows).toBe(purgedDigests(agent.reference).size);
    }
  });

  it('every flow precedes its flow_purge (and every lifetime of a digest is closed)', () => {
    for (const agent of agents) {
      const open = new Set<string>();
      let purges = 0;
      for (const message of uniqueLines(agent).map(parse)) {
        const digest = message.flow?.digest;
        if (message.type === 'flow' && digest) open.add(digest);
        if (message.type === 'flow_purge' && digest) {
          expect(open.has(digest), `${agent.uuid}: flow_purge of ${digest} before its flow`).toBe(true);
          open.delete(digest);
          purges += 1;
        }
      }
      expect(purges).toBeGreaterThan(0);
      expect(open.size).toBe(0);
      const summary = collector?.ledger.agent(agent.uuid)?.summary();
      expect(summary?.orderViolations).toBe(0);
      expect(summary?.open).toBe(0);
    }
  });

  it("no agent's message appears under another agent's topic; the broker ACL drops a forged topic", () => {
    expect(foreign).toEqual([]);
    expect(collector?.strays).toBe(0);
    expect(collector?.ledger.agents().sort()).toEqual([...AGENT_UUIDS].sort());
    for (const agent of agents) {
      const own = new Set(agent.reference);
      expect(agent.deliveries.every((delivery) => delivery.topic === `netify/${agent.uuid}/flows`)).toBe(true);
      expect(agent.deliveries.filter((delivery) => !own.has(delivery.payload.toString('utf8')))).toEqual([]);
      expect(collector?.ledger.agent(agent.uuid)?.flows.has(FORGED_DIGEST)).toBe(false);
    }
    if (usesCorpus) {
      // Different captures: the agents' digests must not overlap, or the check above proves less.
      const all = agents.flatMap((agent) => [...purgedDigests(agent.reference)]);
      expect(new Set(all).size).toBe(all.length);
    }
  });

  it('the collector CLI, subscribed at the same time, reports the same per-agent counts', () => {
    const library = collector?.ledger.summaries() ?? [];
    const byAgent = (summaries: AgentSummary[]): AgentSummary[] => [...summaries].sort((a, b) => (a.agent < b.agent ? -1 : 1));
    expect(byAgent(cliSummaries)).toEqual(byAgent(library));
  });
});

async function startCliCollector(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [COLLECTOR_CLI, '--url', url, '--username', COLLECTOR_USER, '--json'], {
    env: { ...process.env, NETIFY_COLLECTOR_PASSWORD: COLLECTOR_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const subscribed = await waitFor(() => stderr.includes('subscribed to') || child.exitCode !== null, 10_000);
  if (!subscribed || child.exitCode !== null) {
    child.kill('SIGKILL');
    throw new Error(`collector CLI did not subscribe:\n${stderr}`);
  }
  return child;
}

async function stopCliCollector(child: ChildProcess): Promise<AgentSummary[]> {
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`collector CLI exited ${code}:\n${stdout}`);
  return JSON.parse(stdout) as AgentSummary[];
}
