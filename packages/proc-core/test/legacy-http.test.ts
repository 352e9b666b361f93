// Ensures the legacy-http channel gets one document per tick shaped as netifyd v3/v4's
// HTTP sink posted it (FORMATS §7.7), with full flows grouped per interface.
import { afterEach, describe, expect, it } from 'vitest';
import { decodePayload, messageTypes, startPipeline, type Pipeline } from './harness.js';
import {
  agentStatus,
  detectionUpdated,
  flowNew,
  githubTlsFlow,
  kankanHttpFlow,
  offlineCounters,
  purgeEntry,
  sshFlow,
  statsEntry,
  tick,
} from './sample-events.js';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

const wan = { interface: 'eth1', internal: false };

describe('legacy-http document', () => {
  it('is the status keys plus version, interfaces, devices, stats and full flows per interface', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-http': { legacy: { types: ['legacy-http'] } } } },
      sinks: { 'sink-http': { channels: { legacy: {} } } },
    });
    const [github, kankan, ssh] = [githubTlsFlow(), kankanHttpFlow(), sshFlow()];
    pipeline.proc.onEvent(flowNew(github));
    const updated = { ...github, ssl: { ...github.ssl, server_cn: 'www.github.com' } };
    pipeline.proc.onEvent(detectionUpdated(updated));
    pipeline.proc.onEvent(flowNew(kankan));
    pipeline.proc.onEvent(flowNew(ssh, wan));
    const interval = { detection_packets: 8, local_bytes: 100, local_packets: 1, other_bytes: 0, other_packets: 0, total_bytes: 37289, total_packets: 71 };
    pipeline.proc.onEvent(
      tick({
        flowStats: [statsEntry(github, interval), statsEntry(kankan), { ...wan, flow: statsEntry(ssh).flow }],
        purged: [purgeEntry(kankan, 'closed', { local_bytes: 0, local_packets: 0, other_bytes: 0, other_packets: 0 })],
      }),
    );

    const payloads = pipeline.sink('sink-http').payloads('legacy');
    expect(messageTypes(payloads)).toEqual(['agent_hello', 'agent_status']);
    expect(payloads[1]!.types).toEqual(['legacy-http']);
    const document = decodePayload(payloads[1]!);
    const { type: _type, ...status } = agentStatus();
    expect(document).toEqual({
      ...status,
      version: 1.9,
      interfaces: { offline0: { role: 'lan', mac: '00:00:00:00:00:00' } },
      devices: { '28:37:37:00:6d:c8': ['192.168.1.13'] },
      stats: { offline0: offlineCounters() },
      flows: {
        offline0: [
          { ...updated, ...interval },
          { ...kankan, local_bytes: 0, local_packets: 0, other_bytes: 0, other_packets: 0 },
        ],
        eth1: [ssh],
      },
    });
    expect(document).not.toHaveProperty('type');
  });

  it('sends one document per tick and drops purged flows from the next one', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-http': { legacy: { types: ['legacy-http'] } } } },
      sinks: { 'sink-http': { channels: { legacy: {} } } },
    });
    const github = githubTlsFlow();
    pipeline.proc.onEvent(flowNew(github));
    pipeline.proc.onEvent(tick({ purged: [purgeEntry(github, 'expired')] }));
    pipeline.proc.onEvent(tick({ flowStats: [statsEntry(github)] }));
    pipeline.proc.onEvent(tick());
    const documents = pipeline.sink('sink-http').payloads('legacy').slice(1).map(decodePayload);
    expect(documents.length).toBe(3);
    expect(documents[0]!.flows).toEqual({ offline0: [github] });
    // A flow the agent still reports after its purge is listed with what is known: its counters.
    expect(documents[1]!.flows).toEqual({ offline0: [statsEntry(github).flow] });
    expect(documents[2]!.flows).toEqual({});
  });
});
