// Ensures overwrite=true keeps one file per channel holding exactly the payloads of the
// last flush interval, replaced atomically: a reader racing the writer always parses a
// complete interval, never a partial file.
import { readFile, stat } from 'node:fs/promises';
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

const state = useSinkTestState('sink-log-overwrite');

const latest = () => join(state.dir, 'netify-stats-latest.json');

async function linesOnceFlushed(expected: number): Promise<Record<string, unknown>[]> {
  let lines: Record<string, unknown>[] = [];
  await waitFor(async () => {
    lines = await readJsonLines(latest()).catch(() => []);
    return lines.length === expected;
  });
  return lines;
}

describe('sink-log overwrite=true', () => {
  it('the latest file holds exactly the payloads of the last interval that had any', async () => {
    const config = { log_path: state.dir, channels: { stats: { overwrite: true, log_name: 'netify-stats-', flush_interval_ms: 50 } } };
    state.started = await startSink(config, state.dir);
    const { sink } = state.started;
    for (const sequence of [1, 2, 3]) expect(sink.dispatch('stats', jsonPayload('flow', flowMessage(sequence)))).toBe(true);
    expect((await linesOnceFlushed(3)).map(sequenceOf)).toEqual([1, 2, 3]);

    for (const sequence of [4, 5]) sink.dispatch('stats', jsonPayload('flow', flowMessage(sequence)));
    expect((await linesOnceFlushed(2)).map(sequenceOf)).toEqual([4, 5]);

    // An interval without payloads leaves the file as it was.
    const before = await stat(latest());
    await sleep(200);
    expect((await stat(latest())).mtimeMs).toBe(before.mtimeMs);
    expect((await readJsonLines(latest())).map(sequenceOf)).toEqual([4, 5]);
    expect(await visibleFiles(state.dir)).toEqual(['netify-stats-latest.json']);
    expect(sink.stats()).toMatchObject({ sent: 5, files_written: 2, dropped: 0, errors: 0, queued: 0 });
  });

  it('stop() writes what arrived since the last flush', async () => {
    const config = { log_path: state.dir, overwrite: true, channels: { stats: { log_name: 'netify-stats-', flush_interval_ms: 60_000 } } };
    state.started = await startSink(config, state.dir);
    const { sink } = state.started;
    sink.dispatch('stats', jsonPayload('flow', flowMessage(7)));
    expect(await visibleFiles(state.dir)).toEqual([]);
    expect(sink.stats().queued).toBe(1);
    await sink.stop();
    expect((await readJsonLines(latest())).map(sequenceOf)).toEqual([7]);
    expect(await hiddenFiles(state.dir)).toEqual([]);
    const { size, mode } = await stat(latest());
    expect(mode & 0o777).toBe(0o640);
    expect(sink.stats()).toMatchObject({ queued: 0, sent: 1, files_written: 1, bytes_written: size });
    expect(sink.dispatch('stats', jsonPayload('flow', flowMessage(8)))).toBe(false);
    await sink.stop(); // twice is fine
  });

  it('a reader looping over the file while the writer replaces it always parses one whole interval', async () => {
    const config = { log_path: state.dir, channels: { stats: { overwrite: true, log_name: 'netify-stats-', flush_interval_ms: 10 } } };
    state.started = await startSink(config, state.dir);
    const { sink } = state.started;
    let writing = true;
    const writer = (async () => {
      // Each batch is dispatched synchronously, so a flush holds whole batches only.
      for (let batch = 0; batch < 40; batch++) {
        const size = 50 + ((batch * 37) % 400);
        for (let index = 0; index < size; index++) {
          sink.dispatch('stats', jsonPayload('flow', { ...flowMessage(index, 200), batch, size }));
        }
        await sleep(15);
      }
      writing = false;
    })();
    let reads = 0;
    const distinct = new Set<string>();
    for (let attempt = 0; attempt < 2000 && writing; attempt++) {
      const text = await readFile(latest(), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (text === undefined) {
        await sleep(2);
        continue;
      }
      const lines = parseJsonLines(text);
      const batches = new Map<number, number>();
      for (const line of lines) batches.set(line.batch as number, (batches.get(line.batch as number) ?? 0) + 1);
      for (const [batch, count] of batches) {
        expect(count, `batch ${batch} complete in one read`).toBe(lines.find((line) => line.batch === batch)?.size);
      }
      distinct.add([...batches.keys()].join(','));
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(20);
    // The reader did see the file change many times while it was being replaced.
    expect(distinct.size).toBeGreaterThan(5);
  });
});
