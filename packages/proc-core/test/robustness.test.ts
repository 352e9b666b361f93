// Ensures nothing an event carries makes onEvent throw: values that cannot be encoded
// and malformed events are counted and logged once, and later events still flow.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '@netifyd/plugin-sdk';
import { messageTypes, startPipeline, type Pipeline } from './harness.js';
import { flowNew, githubTlsFlow, sshFlow, tick } from './sample-events.js';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

const procConfig = {
  sinks: { 'sink-a': { json: { types: ['stream-flows'] }, packed: { types: ['stream-flows'], format: 'msgpack', compressor: 'gz' } } },
};
const sinks = { 'sink-a': { channels: { json: {}, packed: {} } } };

describe('robustness', () => {
  it('counts a message that cannot be encoded, logs it once, and keeps going', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    const broken = { ...githubTlsFlow(), total_bytes: 37189n } as unknown as ReturnType<typeof githubTlsFlow>;
    expect(() => pipeline!.proc.onEvent(flowNew(broken))).not.toThrow();
    expect(() => pipeline!.proc.onEvent(flowNew(broken))).not.toThrow();
    pipeline.proc.onEvent(flowNew(sshFlow()));
    const sink = pipeline.sink('sink-a');
    expect(messageTypes(sink.payloads('json'))).toEqual(['agent_hello', 'flow']);
    expect(pipeline.proc.stats().encode_errors).toBe(2);
    const errors = pipeline.logs.filter((line) => line.level === 'error').map((line) => line.message);
    expect(errors).toEqual(['could not encode a flow message as json/none: a bigint value cannot be written as JSON; further failures are only counted (encode_errors)']);
  });

  it('survives malformed events and counts them', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    const malformed = [
      { type: 'tick' },
      { type: 'flow_new', interface: 'offline0', internal: true },
      { type: 'event_from_a_newer_agent' },
    ] as unknown as AgentEvent[];
    for (const event of malformed) expect(() => pipeline!.proc.onEvent(event)).not.toThrow();
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    expect(messageTypes(pipeline.sink('sink-a').payloads('json'))).toEqual(['agent_hello', 'flow']);
    expect(pipeline.proc.stats().events_failed).toBe(2);
    expect(pipeline.logs.filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it('ignores events after stop and can be stopped twice', async () => {
    pipeline = await startPipeline({ procConfig, sinks });
    await pipeline.proc.stop();
    pipeline.proc.onEvent(flowNew(githubTlsFlow()));
    pipeline.proc.onEvent(tick());
    await pipeline.proc.stop();
    expect(pipeline.proc.stats()).toMatchObject({ messages: 1, payloads_dispatched: 2 });
  });
});
