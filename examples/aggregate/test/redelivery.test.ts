import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, formatReport } from '../src/index.js';
import type { Delivery } from '../src/index.js';
import { AgentProcess, readReference, writeAgentConfig } from './helpers/agent.js';
import type { AgentRun } from './helpers/agent.js';
import { Broker } from './helpers/broker.js';
import { startCuttingRelay } from './helpers/cutting-relay.js';
import type { CuttingRelay } from './helpers/cutting-relay.js';
import { REPO_ROOT, corpusCaptures } from './helpers/paths.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { delay, waitFor } from './helpers/wait.js';

const UUID = 'AG-BB-00-01';
const PASSWORD = 'agent-secret';
const COLLECTOR_PASSWORD = 'collector-secret';
const CUT_AFTER_BYTES = 8 * 1024;

describe('a connection cut mid-run: sink-mqtt republishes, the collector counts QoS 1 duplicates apart', () => {
  let root: string | undefined;
  let broker: Broker | undefined;
  let relay: CuttingRelay | undefined;
  let collector: Collector | undefined;
  let agent: AgentProcess | undefined;
  let run: AgentRun | undefined;
  let reference: string[] = [];
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    const started = Date.now();
    root = await makeTempDir('netifyd-aggregate-redelivery');
    const corpus = corpusCaptures();
    const capture = corpus ? join(corpus, '1kxun.pcap') : join(REPO_ROOT, 'captures/sample-lab.pcap');
    await mkdir(join(root, 'broker'));
    broker = await Broker.start(join(root, 'broker'), { [UUID]: PASSWORD, collector: COLLECTOR_PASSWORD });
    relay = await startCuttingRelay(broker.port, CUT_AFTER_BYTES);
    collector = await Collector.start({
      url: broker.url,
      username: 'collector',
      password: COLLECTOR_PASSWORD,
      onDelivery: (delivery) => deliveries.push(delivery),
    });
    await mkdir(join(root, 'agent'));
    const config = await writeAgentConfig(join(root, 'agent'), {
      uuid: UUID,
      password: PASSWORD,
      brokerPort: relay.port,
      mqttOverrides: { reconnect_min_ms: 100, reconnect_max_ms: 500 },
    });
    agent = new AgentProcess(config, capture, 45_000);
    run = await agent.done;
    reference = await readReference(join(root, 'agent'));
    const uniqueCount = (): number => deliveries.filter((d) => d.kind !== 'duplicate').length;
    await waitFor(() => uniqueCount() >= reference.length, 15_000);
    await delay(500);
    const summary = collector.ledger.agent(UUID)?.summary();
    console.log(
      `[redelivery] ${basename(capture)}: cut after ${CUT_AFTER_BYTES} bytes; agent ${run.ms} ms; ` +
        `${summary?.messages} deliveries = ${summary?.unique} unique + ${summary?.duplicates} duplicates ` +
        `(reference ${reference.length}); all collected after ${Date.now() - started} ms`,
    );
    console.log(`[redelivery] collector:\n${formatReport(collector.ledger.summaries())}`);
  }, 90_000);

  afterAll(async () => {
    agent?.kill();
    await collector?.stop();
    await relay?.close();
    await broker?.stop();
    await removeDir(root);
  });

  it('the agent exits 0 after the relay cut its connection mid-run', () => {
    expect(run?.code, run?.stderr).toBe(0);
    expect(relay?.cut).toBe(true);
  });

  it('the publishes whose PUBACK was lost arrive twice and are counted as duplicates of messages the agent sent', () => {
    const summary = collector?.ledger.agent(UUID)?.summary();
    const sent = new Set(reference);
    const duplicates = deliveries.filter((d) => d.kind === 'duplicate');
    expect(duplicates.length).toBeGreaterThan(0);
    expect(summary?.duplicates).toBe(duplicates.length);
    expect(duplicates.every((d) => sent.has(d.payload.toString('utf8')))).toBe(true);
  });

  it('after dedup every message arrives exactly once, in the order sent, with each flow before its purge', () => {
    const unique = deliveries.filter((d) => d.kind !== 'duplicate').map((d) => d.payload.toString('utf8'));
    expect(unique).toEqual(reference);
    const summary = collector?.ledger.agent(UUID)?.summary();
    expect(summary?.unique).toBe(reference.length);
    expect(summary?.orderViolations).toBe(0);
    expect(summary?.open).toBe(0);
    expect(summary?.purged).toBe(reference.filter((line) => line.includes('"type":"flow_purge"')).length);
  });
});
