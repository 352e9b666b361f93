// Ensures proc-core starts with whatever sinks are loaded: a sink or channel named in its
// config that does not exist is one clear warning, the rest is routed; refusals are counted.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PLUGIN_ABI, isAbiCompatible } from '@netifyd/plugin-sdk';
import procCorePlugin from '../src/index.js';
import { messageTypes, startPipeline, type Pipeline } from './harness.js';
import { flowNew, githubTlsFlow, tick } from './sample-events.js';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

describe('plugin factory', () => {
  it('declares a processor named proc-core for this ABI with the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(procCorePlugin).toMatchObject({ kind: 'processor', name: 'proc-core', version: pkg.version, abi: PLUGIN_ABI });
    expect(isAbiCompatible(procCorePlugin.abi)).toBe(true);
  });
});

describe('startup against the loaded sinks', () => {
  it('warns once about a sink that is not loaded, naming it and its channels, and serves the others', async () => {
    pipeline = await startPipeline({
      procConfig: {
        sinks: {
          'sink-mqtt': { aggregate: { types: ['stream-flows'] }, stats: { types: ['stream-stats'] } },
          'sink-a': { flows: { types: ['stream-flows'] } },
        },
      },
      sinks: { 'sink-a': { channels: { flows: {} } } },
    });
    expect(pipeline.warnings()).toEqual([
      'netify-proc-core.json /sinks/sink-mqtt: sink "sink-mqtt" is not loaded (loaded sinks: sink-a); its channels aggregate, stats receive nothing',
    ]);
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    expect(messageTypes(pipeline.sink('sink-a').payloads('flows'))).toEqual(['agent_hello', 'flow']);
    expect(pipeline.proc.stats()).toMatchObject({ payloads_refused: 0, payloads_dispatched: 2 });
  });

  it('warns about a channel its sink does not declare and routes nothing there', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { flows: { types: ['stream-flows'] }, flws: { types: ['stream-flows'] } } } },
      sinks: { 'sink-a': { channels: { flows: {}, stats: {} } } },
    });
    expect(pipeline.warnings()).toEqual([
      'netify-proc-core.json /sinks/sink-a/flws: sink "sink-a" has no enabled channel "flws" (its channels: flows, stats); nothing is routed there',
    ]);
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    expect(pipeline.proc.stats()).toMatchObject({ payloads_dispatched: 2, payloads_refused: 0 });
  });

  it('warns about a channel with an empty types list', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { flows: { types: [] } } } },
      sinks: { 'sink-a': { channels: { flows: {} } } },
    });
    expect(pipeline.warnings()).toContain('netify-proc-core.json /sinks/sink-a/flows: "types" is empty; nothing is routed there');
    expect(pipeline.sink('sink-a').payloads('flows')).toEqual([]);
  });

  it('starts without a config file, warns that nothing is emitted, and handles events quietly', async () => {
    pipeline = await startPipeline({ procConfig: undefined, sinks: { 'sink-a': { channels: { flows: {} } } } });
    expect(pipeline.warnings()).toEqual(['netify-proc-core.json: no sink channel to route to; nothing is emitted']);
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    pipeline.proc.onEvent(tick());
    expect(pipeline.proc.stats()).toEqual({ messages: 0, payloads_dispatched: 0, payloads_refused: 0, encode_errors: 0, events_failed: 0 });
  });

  it('rejects an invalid config in init with ERR_PLUGIN_CONFIG naming the file', async () => {
    await expect(startPipeline({ procConfig: { compressor: 'lz4' }, configFile: '/etc/netifyd/netify-proc-core.json' })).rejects.toMatchObject({
      code: 'ERR_PLUGIN_CONFIG',
      message: '/etc/netifyd/netify-proc-core.json: /compressor must be one of "none", "gz", "gzip" (got "lz4")',
    });
  });

  it('counts payloads a sink refuses and logs the first refusal of a channel once', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { flows: { types: ['stream-flows'] } } } },
      sinks: { 'sink-a': { channels: { flows: { max_payloads: 2 } } } },
    });
    for (let i = 0; i < 4; i++) pipeline.proc.onEvent(flowNew({ ...githubTlsFlow(), digest: `${i}`.padStart(40, '0') }));
    expect(pipeline.sink('sink-a').payloads('flows').length).toBe(2);
    expect(pipeline.proc.stats()).toMatchObject({ messages: 5, payloads_dispatched: 2, payloads_refused: 3 });
    expect(pipeline.warnings().filter((line) => line.includes('refused'))).toEqual([
      'sink "sink-a" channel "flows" refused a flow payload (queue full, channel unknown or sink failed); further refusals are only counted (payloads_refused)',
    ]);
  });
});

describe('the sample config etc/netify-proc-core.json', () => {
  it('starts without warnings against sinks with the sample channels and routes each type', async () => {
    const sample = JSON.parse(readFileSync(new URL('../etc/netify-proc-core.json', import.meta.url), 'utf8')) as unknown;
    pipeline = await startPipeline({
      procConfig: sample,
      sinks: {
        'sink-log': { channels: { flows: {}, stats: {}, endpoints: {} } },
        'sink-socket': { channels: { flows: {} } },
      },
    });
    expect(pipeline.warnings()).toEqual([]);
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    pipeline.proc.onEvent(tick());
    const log = pipeline.sink('sink-log');
    expect(messageTypes(log.payloads('flows'))).toEqual(['agent_hello', 'flow']);
    expect(messageTypes(log.payloads('stats'))).toEqual(['agent_hello', 'agent_status', 'interface_stats', 'global_stats']);
    expect(messageTypes(log.payloads('endpoints'))).toEqual(['agent_hello', 'interfaces', 'endpoints']);
    expect(messageTypes(pipeline.sink('sink-socket').payloads('flows'))).toEqual(['agent_hello', 'agent_status']);
    expect(messageTypes(pipeline.sink('sink-socket').greet('flows'))).toEqual(['agent_hello', 'agent_status', 'definitions', 'flow']);
  });
});

describe('reload', () => {
  it('applies a changed config and greets only channels that are new', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { flows: { types: ['stream-flows'] } } } },
      sinks: { 'sink-a': { channels: { flows: {}, stats: {} } } },
    });
    await pipeline.proc.reload?.({ sinks: { 'sink-a': { flows: { types: ['stream-flows'], format: 'msgpack' }, stats: { types: ['stream-stats'] } } } });
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    pipeline.proc.onEvent(tick());
    const sink = pipeline.sink('sink-a');
    expect(messageTypes(sink.payloads('flows'))).toEqual(['agent_hello', 'flow']);
    expect(sink.payloads('flows')[1]!.format).toBe('msgpack');
    expect(messageTypes(sink.payloads('stats'))).toEqual(['agent_hello', 'agent_status', 'interface_stats', 'global_stats']);
  });

  it('keeps the running config when the new one is invalid', async () => {
    pipeline = await startPipeline({
      procConfig: { sinks: { 'sink-a': { flows: { types: ['stream-flows'] } } } },
      sinks: { 'sink-a': { channels: { flows: {} } } },
    });
    await expect(pipeline.proc.reload?.({ format: 'yaml' })).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONFIG' });
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    expect(messageTypes(pipeline.sink('sink-a').payloads('flows'))).toEqual(['agent_hello', 'flow']);
  });
});
