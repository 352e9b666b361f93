// Ensures the plugin host loads third-party plugins written against plugin-sdk only, refuses
// ABI-incompatible ones with one line, and contains plugins that throw.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { loadAgentConfig } from '../src/config/agent-config.js';
import { readPluginEntries } from '../src/plugins/loader-files.js';
import { PluginHost } from '../src/plugins/plugin-host.js';
import { FORWARDING_PROCESSOR, RECORDING_SINK, Workspace } from './workspace.js';

function hostFor(ws: Workspace, lines: string[]) {
  const config = loadAgentConfig(ws.conf);
  const log = createLogger('', 'debug', { write: (line) => void lines.push(line) });
  const host = new PluginHost({
    log,
    agent: { uuid: 'AA-BB-CC-DD', uuidSerial: '-', uuidSite: '-', version: 'test', buildVersion: 'test' },
    paths: { persistent: config.paths.persistent, volatile: config.paths.volatile },
    agentConfig: (section) => config.sections.get(section),
    stopTimeoutMs: 500,
  });
  return { host, entries: readPluginEntries(config.paths) };
}

describe('plugin host', () => {
  let ws: Workspace;
  let lines: string[];

  beforeEach(() => {
    ws = new Workspace();
    lines = [];
    ws.addPackage('recording-sink', RECORDING_SINK);
    ws.addPackage('forwarding-processor', FORWARDING_PROCESSOR);
  });
  afterEach(() => ws.cleanup());

  it('delivers events from the agent through a processor to a sink, both from outside packages', async () => {
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink', { record: ws.record('sink') });
    ws.addLoader('20-proc.conf', 'proc-fwd', 'forwarding-processor', { record: ws.record('proc'), sink: 'sink-rec' });
    const { host, entries } = hostFor(ws, lines);
    await host.load(entries);
    await host.start();
    host.dispatch({ type: 'agent_start', hello: { type: 'agent_hello', agent_version: 't', build_version: 't', json_version: 1.9 } });
    host.dispatch({ type: 'agent_stop' });
    expect(host.status()['sink-rec']).toMatchObject({ type: 'sink', sent: 2 });
    await host.stop();

    expect(ws.recorded('proc')).toEqual([{ event: 'agent_start' }, { event: 'agent_stop' }, { lifecycle: 'stop' }]);
    const sink = ws.recorded('sink');
    expect(sink[0]).toEqual({ lifecycle: 'start', agent: 'AA-BB-CC-DD' });
    expect(sink.slice(1, 3).map((r) => (r.body as { type: string }).type)).toEqual(['agent_start', 'agent_stop']);
    // Processors stop before sinks: the sink's stop is its last line, after the processor's.
    expect(sink.at(-1)).toEqual({ lifecycle: 'stop' });
  });

  it('refuses a plugin built for ABI 2.0 with one line and runs the others', async () => {
    ws.addPackage('future-sink', RECORDING_SINK.replace('abi: PLUGIN_ABI', "abi: '2.0'"));
    ws.addLoader('10-future.conf', 'sink-future', 'future-sink', { record: ws.record('future') });
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink', { record: ws.record('sink') });
    const { host, entries } = hostFor(ws, lines);
    await host.load(entries);
    await host.start();

    expect(host.names()).toEqual(['sink-rec']);
    expect(host.refused.map((r) => r.name)).toEqual(['sink-future']);
    const abiLines = lines.filter((l) => l.includes('sink-future'));
    expect(abiLines).toHaveLength(1);
    expect(abiLines[0]).toContain('needs plugin ABI 2.0; this agent provides 1.0');
    expect(ws.recorded('future')).toEqual([]);
    await host.stop();
  });

  it('isolates a plugin that throws in init and one that throws on every event', async () => {
    ws.addPackage('bad-init', RECORDING_SINK.replace('async init(raw) {', 'async init(raw) { throw new Error("init exploded");'));
    ws.addPackage('bad-events', FORWARDING_PROCESSOR.replace('onEvent(event) {', 'onEvent(event) { throw new Error("event exploded");'));
    ws.addLoader('10-bad-init.conf', 'sink-bad', 'bad-init', { record: ws.record('bad') });
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink', { record: ws.record('sink') });
    ws.addLoader('20-bad-events.conf', 'proc-bad', 'bad-events', { record: ws.record('procbad'), sink: 'sink-rec' });
    ws.addLoader('20-proc.conf', 'proc-fwd', 'forwarding-processor', { record: ws.record('proc'), sink: 'sink-rec' });
    const { host, entries } = hostFor(ws, lines);
    await host.load(entries);
    await host.start();
    for (let i = 0; i < 5; i++) host.dispatch({ type: 'agent_stop' });

    expect(host.refused).toEqual([{ name: 'sink-bad', reason: 'init exploded' }]);
    expect(ws.recorded('proc')).toHaveLength(5);
    expect(ws.recorded('sink').filter((r) => r.channel)).toHaveLength(5);
    expect(host.status()['proc-bad']).toMatchObject({ events: 5, plugin_errors: 5 });
    expect(lines.filter((l) => l.includes('event exploded'))).toHaveLength(1);
    await host.stop();
  });

  it('names the config file and JSON path when a plugin config is invalid', async () => {
    ws.addLoader('10-sink.conf', 'sink-rec', 'recording-sink', { record: 42 });
    const { host, entries } = hostFor(ws, lines);
    await host.load(entries);
    expect(host.refused).toHaveLength(1);
    expect(host.refused[0]!.reason).toBe(`${ws.etc}/sink-rec.json: /record must be string (got 42)`);
  });

  it('gives up on a plugin whose stop hangs after the deadline', async () => {
    ws.addPackage('hanging', RECORDING_SINK.replace("async stop() {", 'async stop() { await new Promise(() => {});'));
    ws.addLoader('10-sink.conf', 'sink-hang', 'hanging', { record: ws.record('hang') });
    const { host, entries } = hostFor(ws, lines);
    await host.load(entries);
    await host.start();
    const started = Date.now();
    await host.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(lines.some((l) => l.includes('did not stop within 500 ms'))).toBe(true);
  });
});
