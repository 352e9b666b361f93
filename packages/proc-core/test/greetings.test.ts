// Ensures what a sink's newly connected client gets first: agent_hello; legacy-socket's
// agent_status and definitions; and, with dump_established_flows, every active flow.
import { afterEach, describe, expect, it } from 'vitest';
import { decodePayload, messageTypes, startPipeline, testAgent, type Pipeline } from './harness.js';
import {
  agentStatus,
  dpiComplete,
  flowNew,
  githubTlsFlow,
  kankanHttpFlow,
  ntopIpv6Flow,
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

const procConfig = {
  sinks: {
    'sink-socket': {
      flows: { types: ['stream-flows'], format: 'msgpack' },
      legacy: { types: ['legacy-socket'], dump_established_flows: true },
      stats: { types: ['stream-stats'], dump_established_flows: true },
    },
  },
};
const sinks = { 'sink-socket': { channels: { flows: {}, legacy: {}, stats: {} } } };

describe('greetings for a new client', () => {
  it('is agent_hello in the channel encoding', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    const greeting = pipeline.sink('sink-socket').greet('flows');
    expect(messageTypes(greeting)).toEqual(['agent_hello']);
    expect(greeting[0]).toMatchObject({ format: 'msgpack', compressor: 'none', types: ['stream-flows'] });
    expect(decodePayload(greeting[0]!)).toEqual({
      type: 'agent_hello',
      agent_version: testAgent.version,
      build_version: testAgent.buildVersion,
      json_version: 1.9,
    });
  });

  it('uses the hello of the agent_start event once it arrived', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    const hello = { type: 'agent_hello', agent_version: '0.2.0', build_version: 'netifyd-ts/0.2.0 (Linux; x64)', json_version: 1.9 } as const;
    pipeline.proc.onEvent({ type: 'agent_start', hello });
    expect(decodePayload(pipeline.sink('sink-socket').greet('flows')[0]!)).toEqual(hello);
  });

  it('adds the latest agent_status (after a tick) and definitions on legacy-socket', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    expect(messageTypes(pipeline.sink('sink-socket').greet('legacy'))).toEqual(['agent_hello', 'definitions']);
    pipeline.proc.onEvent(tick());
    const greeting = pipeline.sink('sink-socket').greet('legacy');
    expect(messageTypes(greeting)).toEqual(['agent_hello', 'agent_status', 'definitions']);
    expect(decodePayload(greeting[1]!)).toEqual(agentStatus());
    expect(decodePayload(greeting[2]!)).toEqual({ type: 'definitions', protocols: [], applications: [] });
    expect(greeting.map((payload) => payload.types)).toEqual([['legacy-socket'], ['legacy-socket'], ['legacy-socket']]);
  });

  it('dumps active flows with established true, and forgets them once purged', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    const [github, ntop, kankan] = [githubTlsFlow(), ntopIpv6Flow(), kankanHttpFlow()];
    pipeline.proc.onEvent(flowNew(github));
    pipeline.proc.onEvent(flowNew({ ...ntop, digest: ntop.digest_prev[0]!, digest_prev: [] }));
    pipeline.proc.onEvent(dpiComplete(ntop)); // post-DPI digest replaces the first one
    pipeline.proc.onEvent(flowNew(kankan, { interface: 'eth1', internal: false }));
    pipeline.proc.onEvent(tick({ flowStats: [statsEntry(github)], purged: [purgeEntry(kankan, 'closed')] }));

    const greeting = pipeline.sink('sink-socket').greet('legacy');
    expect(messageTypes(greeting)).toEqual(['agent_hello', 'agent_status', 'definitions', 'flow', 'flow']);
    expect(greeting.slice(3).map(decodePayload)).toEqual([
      { type: 'flow', interface: 'offline0', internal: true, established: true, flow: github },
      { type: 'flow', interface: 'offline0', internal: true, established: true, flow: ntop },
    ]);
  });

  it('does not dump flows on a channel without flow payload types, nor on one without the extension', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    pipeline.proc.onEvent(flowNew(sshFlow()));
    expect(messageTypes(pipeline.sink('sink-socket').greet('stats'))).toEqual(['agent_hello']);
    expect(messageTypes(pipeline.sink('sink-socket').greet('flows'))).toEqual(['agent_hello']);
  });

  it('is empty for a channel proc-core does not route to, and after stop', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-socket': { flows: { types: ['stream-flows'], enable: false } } } },
      sinks: { 'sink-socket': { channels: { flows: {}, other: {} } } },
    });
    expect(pipeline.sink('sink-socket').greet('flows')).toEqual([]);
    expect(pipeline.sink('sink-socket').greet('other')).toEqual([]);
    await pipeline.proc.stop();
    expect(pipeline.proc.greetings?.('sink-socket', 'flows')).toEqual([]);
  });
});
