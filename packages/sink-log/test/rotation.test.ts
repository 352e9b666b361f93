// Ensures overwrite=false writes timestamped files, rotates them by size and by age,
// keeps at most max_files, and never shows a reader a file that is still being written.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { flowMessage, jsonPayload, sequenceOf } from '@netifyd/plugin-sdk/testing';
import {
  hiddenFiles,
  join,
  parseJsonLines,
  readJsonLines,
  sleep,
  startSink,
  useSinkTestState,
  visibleFiles,
  waitFor,
} from './helpers.js';

const state = useSinkTestState('sink-log-rotation');

const NAME = /^flows-\d{8}-\d{6}(-\d+)?\.json$/;

/** Oldest first, as the file names sort (time opened, then the same-second sequence). */
function byAge(names: string[]): string[] {
  const key = (name: string) => {
    const match = /(\d{8}-\d{6})(?:-(\d+))?/.exec(name);
    return `${match?.[1]}-${String(match?.[2] ?? 0).padStart(6, '0')}`;
  };
  return [...names].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

async function allSequences(names: string[]): Promise<number[]> {
  const sequences: number[] = [];
  for (const name of byAge(names)) sequences.push(...(await readJsonLines(join(state.dir, name))).map(sequenceOf));
  return sequences;
}

describe('sink-log overwrite=false', () => {
  it('rotates by size: every file stays within max_file_kb and holds whole lines, in order', async () => {
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', max_file_kb: 1, max_file_age_s: 0 } } };
    state.started = await startSink(config, state.dir);
    const { sink } = state.started;
    for (let sequence = 0; sequence < 40; sequence++) {
      expect(sink.dispatch('flows', jsonPayload('flow', flowMessage(sequence, 150)))).toBe(true);
    }
    await sink.stop();
    const files = await visibleFiles(state.dir);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const name of files) {
      expect(name).toMatch(NAME);
      expect((await stat(join(state.dir, name))).size).toBeLessThanOrEqual(1024);
    }
    expect(await allSequences(files)).toEqual([...Array(40).keys()]);
    expect(await hiddenFiles(state.dir)).toEqual([]);
    let bytes = 0;
    for (const name of files) bytes += (await stat(join(state.dir, name))).size;
    expect(sink.stats()).toMatchObject({ sent: 40, files_written: files.length, bytes_written: bytes, queued: 0, errors: 0 });
  });

  it('a payload larger than max_file_kb still gets a file of its own', async () => {
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', max_file_kb: 1 } } };
    state.started = await startSink(config, state.dir);
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1, 3000)));
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(2)));
    await state.started.sink.stop();
    const files = await visibleFiles(state.dir);
    expect(files).toHaveLength(2);
    expect(await allSequences(files)).toEqual([1, 2]);
  });

  it('rotates by age: nothing is visible until the file is max_file_age_s old, then it is published without stop()', async () => {
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', max_file_age_s: 0.6 } } };
    state.started = await startSink(config, state.dir);
    const { sink } = state.started;
    sink.dispatch('flows', jsonPayload('flow', flowMessage(1)));
    await waitFor(async () => (await hiddenFiles(state.dir)).length === 1);
    expect(await visibleFiles(state.dir)).toEqual([]);
    sink.dispatch('flows', jsonPayload('flow', flowMessage(2)));
    await waitFor(async () => (await visibleFiles(state.dir)).length === 1);
    const [first] = await visibleFiles(state.dir);
    expect((await readJsonLines(join(state.dir, first as string))).map(sequenceOf)).toEqual([1, 2]);
    expect(await hiddenFiles(state.dir)).toEqual([]);

    sink.dispatch('flows', jsonPayload('flow', flowMessage(3)));
    await waitFor(async () => (await visibleFiles(state.dir)).length === 2);
    expect(await allSequences(await visibleFiles(state.dir))).toEqual([1, 2, 3]);
    expect(sink.stats()).toMatchObject({ sent: 3, files_written: 2, queued: 0 });
  });

  it('keeps only the newest max_files files and leaves other files in the directory alone', async () => {
    await writeFile(join(state.dir, 'flows-notes.txt'), 'mine');
    await writeFile(join(state.dir, 'other-20000101-000000.json'), '{}\n');
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', max_file_kb: 1, max_files: 3 } } };
    state.started = await startSink(config, state.dir);
    for (let sequence = 0; sequence < 40; sequence++) state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(sequence, 150)));
    await state.started.sink.stop();
    const files = await visibleFiles(state.dir);
    const ours = files.filter((name) => NAME.test(name));
    expect(ours).toHaveLength(3);
    expect(files.filter((name) => !NAME.test(name)).sort()).toEqual(['flows-notes.txt', 'other-20000101-000000.json']);
    // The survivors are the newest: they end with the last payload.
    const kept = await allSequences(ours);
    expect(kept.at(-1)).toBe(39);
    expect(kept).toEqual([...Array(kept.length).keys()].map((index) => 40 - kept.length + index));
    expect(state.started.sink.stats().files_written).toBeGreaterThan(3);
  });

  it('a reader listing the directory while files rotate only ever finds complete files', async () => {
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', max_file_kb: 8, max_files: 50 } } };
    state.started = await startSink(config, state.dir);
    const { sink } = state.started;
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 30; round++) {
        for (let index = 0; index < 40; index++) sink.dispatch('flows', jsonPayload('flow', flowMessage(round * 40 + index, 100)));
        await sleep(5);
      }
      writing = false;
    })();
    let checked = 0;
    for (let attempt = 0; attempt < 500 && writing; attempt++) {
      for (const name of await visibleFiles(state.dir)) {
        const text = await readFile(join(state.dir, name), 'utf8').catch(() => undefined); // pruned meanwhile
        if (text === undefined) continue;
        const lines = parseJsonLines(text);
        const sequences = lines.map(sequenceOf);
        expect(sequences).toEqual(sequences.map((_, index) => (sequences[0] as number) + index));
        checked++;
      }
      await sleep(3);
    }
    await writer;
    expect(checked).toBeGreaterThan(10);
  });
});
