// Ensures proc-core routes each message to the channels whose payload types carry it,
// in netifyd's order, encoded per channel, and that sinks receive agent_hello first.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Packr, unpack } from 'msgpackr';
import { readStrictMsgpack } from './strict-msgpack.js';
import { decodePayload, messageTypes, payloadText, startPipeline, testAgent, type Pipeline } from './harness.js';
import {
  detectionUpdated,
  dpiComplete,
  flowExpire,
  flowNew,
  githubTlsFlow,
  kankanHttpFlow,
  purgeEntry,
  statsEntry,
  tick,
} from './sample-events.js';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

/** One flow's life: detected, updated, completed, counted in a tick, purged in the next. */
function runFlowLifecycle(proc: Pipeline['proc']): void {
  const flow = githubTlsFlow();
  proc.onEvent(flowNew(flow));
  proc.onEvent(detectionUpdated(flow));
  proc.onEvent(dpiComplete(flow));
  proc.onEvent(tick({ flowStats: [statsEntry(flow)] }));
  proc.onEvent(flowExpire(flow, 'closed'));
  proc.onEvent(tick({ purged: [purgeEntry(flow, 'closed', { local_bytes: 0, local_packets: 0, other_bytes: 0, other_packets: 0 })] }));
}

const oneChannelPerType = {
  sinks: {
    'sink-a': {
      flows: { types: ['stream-flows'] },
      stats: { types: ['stream-stats'] },
      endpoints: { types: ['stream-endpoints'] },
      legacy: { types: ['legacy-socket'] },
    },
  },
};
const recordingChannels = { channels: { flows: {}, stats: {}, endpoints: {}, legacy: {} } };

describe('routing by payload type', () => {
  it('sends each channel agent_hello first, then only the messages of its types, in netifyd tick order', async () => {
    pipeline = await startPipeline({ procConfig: oneChannelPerType, sinks: { 'sink-a': recordingChannels } });
    runFlowLifecycle(pipeline.proc);
    const sink = pipeline.sink('sink-a');
    expect(messageTypes(sink.payloads('flows'))).toEqual([
      'agent_hello',
      'flow',
      'flow_dpi_update',
      'flow_dpi_complete',
      'flow_purge',
    ]);
    expect(messageTypes(sink.payloads('stats'))).toEqual([
      'agent_hello',
      'agent_status',
      'interface_stats',
      'global_stats',
      'flow_stats',
      'agent_status',
      'interface_stats',
      'global_stats',
    ]);
    expect(messageTypes(sink.payloads('endpoints'))).toEqual(['agent_hello', 'interfaces', 'endpoints', 'interfaces', 'endpoints']);
    expect(messageTypes(sink.payloads('legacy'))).toEqual([
      'agent_hello',
      'flow',
      'agent_status',
      'flow_stats',
      'agent_status',
      'flow_purge',
    ]);
    expect(sink.payloads('legacy').map((payload) => payload.types)).toEqual(Array(6).fill(['legacy-socket']));
  });

  it('puts a channel subscribed to several types through netifyd tick order once per message', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { all: { types: ['stream-stats', 'stream-endpoints', 'stream-flows', 'legacy-socket'] } } } },
      sinks: { 'sink-a': { channels: { all: {} } } },
    });
    const flow = kankanHttpFlow();
    pipeline.proc.onEvent(tick({ flowStats: [statsEntry(flow)], purged: [purgeEntry(githubTlsFlow(), 'expired')] }));
    const payloads = pipeline.sink('sink-a').payloads('all');
    expect(messageTypes(payloads)).toEqual([
      'agent_hello',
      'agent_status',
      'interfaces',
      'interface_stats',
      'global_stats',
      'endpoints',
      'flow_stats',
      'flow_purge',
    ]);
    expect(payloads[1]!.types).toEqual(['stream-stats', 'legacy-socket']);
    expect(payloads[7]!.types).toEqual(['stream-flows', 'legacy-socket']);
  });

  it('wraps flows in netifyd envelopes: interface, internal, established false, reason on purge', async () => {
    pipeline = await startPipeline({ procConfig: oneChannelPerType, sinks: { 'sink-a': recordingChannels } });
    const wan = { interface: 'eth1', internal: false };
    const flow = githubTlsFlow();
    pipeline.proc.onEvent(flowNew(flow, wan));
    pipeline.proc.onEvent(tick({ purged: [{ ...wan, reason: 'expired', flow: { ...purgeEntry(flow, 'expired').flow } }] }));
    const [, flowPayload, purgePayload] = pipeline.sink('sink-a').payloads('flows');
    expect(decodePayload(flowPayload!)).toEqual({ type: 'flow', interface: 'eth1', internal: false, established: false, flow });
    expect(decodePayload(purgePayload!)).toMatchObject({
      type: 'flow_purge',
      interface: 'eth1',
      internal: false,
      established: false,
      reason: 'expired',
      flow: { digest: flow.digest, total_bytes: 37189 },
    });
  });

  it('sends agent_hello with the agent identity and json_version 1.9', async () => {
    pipeline = await startPipeline({ procConfig: oneChannelPerType, sinks: { 'sink-a': recordingChannels } });
    const hello = pipeline.sink('sink-a').payloads('stats')[0]!;
    expect(payloadText(hello)).toBe(
      `{"agent_version":"${testAgent.version}","build_version":"${testAgent.buildVersion}","json_version":1.9,"type":"agent_hello"}`,
    );
    expect(hello.types).toEqual(['stream-stats']);
  });

  it('sends nothing to a disabled channel, not even agent_hello', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { flows: { types: ['stream-flows'], enable: false }, stats: { types: ['stream-stats'] } } } },
      sinks: { 'sink-a': { channels: { flows: {}, stats: {} } } },
    });
    runFlowLifecycle(pipeline.proc);
    expect(pipeline.sink('sink-a').payloads('flows')).toEqual([]);
    expect(pipeline.sink('sink-a').payloads('stats').length).toBe(8);
  });
});

describe('encoding per channel', () => {
  const mixed = {
    format: 'json',
    compressor: 'none',
    sinks: {
      'sink-a': {
        plain: { types: ['stream-flows'] },
        plain2: { types: ['stream-flows', 'stream-stats'] },
        packed: { types: ['stream-flows'], format: 'msgpack' },
        gz: { types: ['stream-flows'], compressor: 'gz' },
        gzip: { types: ['stream-flows'], compressor: 'gzip' },
        packedGz: { types: ['stream-flows'], format: 'msgpack', compressor: 'gzip' },
      },
    },
  };
  const channels = { channels: { plain: {}, plain2: {}, packed: {}, gz: {}, gzip: {}, packedGz: {} } };

  it('honours per-channel format and compressor overrides and the gzip alias', async () => {
    pipeline = await startPipeline({ procConfig: mixed, sinks: { 'sink-a': channels } });
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    const sink = pipeline.sink('sink-a');
    const last = (channel: string) => sink.payloads(channel).at(-1)!;
    expect(last('plain')).toMatchObject({ message: 'flow', format: 'json', compressor: 'none' });
    expect(last('packed')).toMatchObject({ format: 'msgpack', compressor: 'none' });
    expect(last('gz')).toMatchObject({ format: 'json', compressor: 'gz' });
    expect(last('gzip')).toMatchObject({ format: 'json', compressor: 'gz' });
    expect(last('packedGz')).toMatchObject({ format: 'msgpack', compressor: 'gz' });
    const expected = decodePayload(last('plain'));
    for (const channel of ['packed', 'gz', 'gzip', 'packedGz']) expect(decodePayload(last(channel))).toEqual(expected);
  });

  it('encodes each message once per format and compressor, shared by the channels that use it', async () => {
    pipeline = await startPipeline({ procConfig: mixed, sinks: { 'sink-a': channels } });
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    const sink = pipeline.sink('sink-a');
    const last = (channel: string) => sink.payloads(channel).at(-1)!;
    expect(last('plain').data).toBe(last('plain2').data);
    expect(last('gz').data).toBe(last('gzip').data);
    expect(last('plain').data).not.toBe(last('gz').data);
    expect(last('plain2').types).toEqual(['stream-flows']);
    expect(pipeline.proc.stats()).toMatchObject({ messages: 2, payloads_dispatched: 12, payloads_refused: 0, encode_errors: 0 });
  });

  it('shares one encoding between channels that are not next to each other in the config', async () => {
    const interleaved = {
      sinks: {
        'sink-a': {
          plain: { types: ['stream-flows'] },
          packed: { types: ['stream-flows'], format: 'msgpack' },
          plain2: { types: ['stream-flows'] },
          packedGz: { types: ['stream-flows'], format: 'msgpack', compressor: 'gz' },
          gz: { types: ['stream-flows'], format: 'msgpack' },
        },
      },
    };
    pipeline = await startPipeline({ procConfig: interleaved, sinks: { 'sink-a': channels } });
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    const sink = pipeline.sink('sink-a');
    const last = (channel: string) => sink.payloads(channel).at(-1)!;
    expect(last('plain').data).toBe(last('plain2').data);
    expect(last('packed').data).toBe(last('gz').data);
    expect(last('packed').data).not.toBe(last('packedGz').data);
    expect(pipeline.proc.stats()).toMatchObject({ payloads_dispatched: 10, payloads_refused: 0, encode_errors: 0 });
  });

  it('gzip output is a standard gzip member that node:zlib inflates to the JSON text', async () => {
    pipeline = await startPipeline({ procConfig: mixed, sinks: { 'sink-a': channels } });
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    const sink = pipeline.sink('sink-a');
    const gz = sink.payloads('gz').at(-1)!.data;
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(gz).toString('latin1')).toBe(payloadText(sink.payloads('plain').at(-1)!));
  });

  it('msgpack output is plain maps (no msgpackr records extension) that decode to the same message', async () => {
    pipeline = await startPipeline({ procConfig: mixed, sinks: { 'sink-a': channels } });
    const flow = githubTlsFlow();
    pipeline.proc.onEvent(flowNew(flow));
    const packed = pipeline.sink('sink-a').payloads('packed').at(-1)!.data;
    const message = { type: 'flow', interface: 'offline0', internal: true, established: false, flow };
    expect(packed[0]).toBe(0x85); // fixmap of the 5 envelope keys
    expect(readStrictMsgpack(packed)).toEqual(message);
    expect(unpack(packed)).toEqual(message);
    expect(readStrictMsgpack(gunzipSync(pipeline.sink('sink-a').payloads('packedGz').at(-1)!.data))).toEqual(message);
  });

  it('the strict reader used above rejects msgpackr records, so the check means something', () => {
    const withRecords = new Packr().pack({ type: 'flow', flow: githubTlsFlow() });
    expect(() => readStrictMsgpack(withRecords)).toThrow(/not a standard msgpack type/);
  });
});
