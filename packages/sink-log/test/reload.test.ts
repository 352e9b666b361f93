// Ensures SIGHUP's reload keeps an unchanged channel's file going (no new file, nothing
// lost), publishes the files of channels that changed or went, and changes nothing when the
// new config is refused.
import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { flowMessage, jsonPayload, sequenceOf } from '@netifyd/plugin-sdk/testing';
import { join, readJsonLines, startSink, visibleFiles, useSinkTestState } from './helpers.js';

const state = useSinkTestState('sink-log-reload');

const flow = (sequence: number) => jsonPayload('flow', flowMessage(sequence, 1));

/** A rotating channel that never rotates during a test. */
const steady = (logPath: string, logName: string) => ({ log_path: logPath, log_name: logName, max_file_age_s: 0, max_file_kb: 0 });

async function sequencesIn(directory: string): Promise<number[][]> {
  const files = await visibleFiles(directory);
  return Promise.all(files.map(async (name) => (await readJsonLines(join(directory, name))).map(sequenceOf)));
}

describe('sink-log reload', () => {
  it('keeps an unchanged channel writing to the same file and publishes a dropped channel', async () => {
    const flowsDir = join(state.dir, 'flows');
    const statsDir = join(state.dir, 'stats');
    const statusDir = join(state.dir, 'status');
    await Promise.all([mkdir(flowsDir), mkdir(statsDir), mkdir(statusDir)]);
    state.started = await startSink({ channels: { flows: steady(flowsDir, 'flows-'), stats: steady(statsDir, 'stats-') } }, state.dir);
    const { sink, context } = state.started;
    for (let i = 0; i < 3; i++) expect(sink.dispatch('flows', flow(i))).toBe(true);
    for (let i = 0; i < 2; i++) expect(sink.dispatch('stats', flow(100 + i))).toBe(true);

    await sink.reload!({ channels: { flows: steady(flowsDir, 'flows-'), status: steady(statusDir, 'status-') } });

    expect(await sequencesIn(statsDir)).toEqual([[100, 101]]);
    expect(sink.dispatch('stats', flow(102))).toBe(false);
    for (let i = 3; i < 6; i++) expect(sink.dispatch('flows', flow(i))).toBe(true);
    expect(sink.dispatch('status', flow(200))).toBe(true);
    await sink.stop();
    state.started = undefined;

    expect(await sequencesIn(flowsDir)).toEqual([[0, 1, 2, 3, 4, 5]]);
    expect(await sequencesIn(statusDir)).toEqual([[200]]);
    expect(context.messages('info').some((line) => line === 'reloaded: 1 file writer(s) kept, 1 flushed and closed')).toBe(true);
  });

  it('closes a channel whose settings changed; its next payloads go to the new file name', async () => {
    state.started = await startSink({ channels: { flows: steady(state.dir, 'before-') } }, state.dir);
    const { sink } = state.started;
    for (let i = 0; i < 2; i++) sink.dispatch('flows', flow(i));

    await sink.reload!({ channels: { flows: steady(state.dir, 'after-') } });

    const published = await visibleFiles(state.dir);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatch(/^before-/);
    sink.dispatch('flows', flow(2));
    await sink.stop();
    state.started = undefined;
    const files = await visibleFiles(state.dir);
    expect(files.map((name) => name.split('-')[0])).toEqual(['after', 'before']);
    expect(await sequencesIn(state.dir)).toEqual([[2], [0, 1]]);
  });

  it('refuses a config that does not validate or whose log_path is unusable, and keeps writing as before', async () => {
    state.started = await startSink({ channels: { flows: steady(state.dir, 'flows-') } }, state.dir);
    const { sink } = state.started;
    sink.dispatch('flows', flow(0));

    await expect(sink.reload!({ channels: { flows: { log_path: state.dir, overwrite: 'sometimes' } } })).rejects.toThrow(/netify-sink-log\.json/);
    await expect(sink.reload!({ channels: { flows: steady(join(state.dir, 'missing', 'dir'), 'flows-') } })).rejects.toThrow(/log_path/);

    sink.dispatch('flows', flow(1));
    await sink.stop();
    state.started = undefined;
    expect(await sequencesIn(state.dir)).toEqual([[0, 1]]);
  });
});
