// Ensures each payload encoding lands in a file a standard tool reads back: JSON lines,
// concatenated msgpack values, and gzip files that node:zlib gunzip decompresses whole.
import { readFile, readdir, rm } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { pack, unpackMultiple } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import type { Payload } from '@netifyd/plugin-sdk';
import { encodedPayload, flowMessage, jsonPayload, sequenceOf } from '@netifyd/plugin-sdk/testing';
import { join, parseJsonLines, startSink, visibleFiles, waitFor, useSinkTestState } from './helpers.js';

const state = useSinkTestState('sink-log-encodings');

const messages = (count: number) => Array.from({ length: count }, (_, sequence) => flowMessage(sequence, sequence * 3));

async function onlyFile(pattern: RegExp): Promise<Buffer> {
  const files = (await visibleFiles(state.dir)).filter((name) => pattern.test(name));
  expect(files).toHaveLength(1);
  return readFile(join(state.dir, files[0] as string));
}

describe('sink-log encodings', () => {
  it('json + gz: a .json.gz file that gunzips to one JSON message per line', async () => {
    state.started = await startSink({ log_path: state.dir, channels: { flows: { log_name: 'flows-' } } }, state.dir);
    for (const message of messages(25)) state.started.sink.dispatch('flows', jsonPayload('flow', message, { compressor: 'gz' }));
    await state.started.sink.stop();
    const text = gunzipSync(await onlyFile(/^flows-\d{8}-\d{6}\.json\.gz$/)).toString('utf8');
    expect(parseJsonLines(text)).toEqual(messages(25));
  });

  it('msgpack: a .msgpack file of concatenated values', async () => {
    state.started = await startSink({ log_path: state.dir, channels: { flows: { log_name: 'flows-' } } }, state.dir);
    for (const message of messages(25)) state.started.sink.dispatch('flows', encodedPayload('flow', 'msgpack', pack(message)));
    await state.started.sink.stop();
    expect(unpackMultiple(await onlyFile(/^flows-\d{8}-\d{6}\.msgpack$/))).toEqual(messages(25));
  });

  it('msgpack + gz, overwrite=true: latest.msgpack.gz gunzips to the interval values', async () => {
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', overwrite: true, flush_interval_ms: 30 } } };
    state.started = await startSink(config, state.dir);
    for (const message of messages(10)) state.started.sink.dispatch('flows', encodedPayload('flow', 'msgpack', pack(message), { compressor: 'gz' }));
    await waitFor(async () => (await visibleFiles(state.dir)).includes('flows-latest.msgpack.gz'));
    expect(unpackMultiple(gunzipSync(await readFile(join(state.dir, 'flows-latest.msgpack.gz'))))).toEqual(messages(10));
  });

  it('json + gz rotated by size: every file is a complete gzip stream of whole lines', async () => {
    const config = { log_path: state.dir, channels: { flows: { log_name: 'flows-', max_file_kb: 1 } } };
    state.started = await startSink(config, state.dir);
    for (const message of messages(60)) state.started.sink.dispatch('flows', jsonPayload('flow', message, { compressor: 'gz' }));
    await state.started.sink.stop();
    const files = (await visibleFiles(state.dir)).sort();
    expect(files.length).toBeGreaterThan(2);
    const sequences: number[] = [];
    for (const name of files) {
      expect(name).toMatch(/\.json\.gz$/);
      sequences.push(...parseJsonLines(gunzipSync(await readFile(join(state.dir, name))).toString('utf8')).map(sequenceOf));
    }
    expect(sequences.sort((a, b) => a - b)).toEqual([...Array(60).keys()]);
  });

  it('one channel fed two encodings keeps a file per encoding', async () => {
    state.started = await startSink({ log_path: state.dir, overwrite: true, channels: { flows: { log_name: 'flows-' } } }, state.dir);
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1)));
    state.started.sink.dispatch('flows', encodedPayload('flow', 'msgpack', pack(flowMessage(2))));
    await state.started.sink.stop();
    expect(await visibleFiles(state.dir)).toEqual(['flows-latest.json', 'flows-latest.msgpack']);
  });
});

describe('sink-log limits and failures', () => {
  it('refuses payloads beyond max_queue_kb, counts them and warns once', async () => {
    const config = { log_path: state.dir, overwrite: true, channels: { flows: { log_name: 'flows-', max_queue_kb: 4, flush_interval_ms: 60_000 } } };
    state.started = await startSink(config, state.dir);
    const { sink, context } = state.started;
    const accepted = messages(100).map((message) => sink.dispatch('flows', jsonPayload('flow', { ...message, pad: 'y'.repeat(100) })));
    const taken = accepted.filter(Boolean).length;
    expect(taken).toBeGreaterThan(10);
    expect(taken).toBeLessThan(40);
    expect(accepted.slice(taken).every((value) => !value)).toBe(true);
    expect(sink.stats()).toMatchObject({ queued: taken, dropped: 100 - taken });
    expect(context.lines.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'channel flows: more than max_queue_kb=4 waiting for disk; dropping payloads' },
    ]);
    await sink.stop();
    expect(parseJsonLines(await readFile(join(state.dir, 'flows-latest.json'), 'utf8'))).toHaveLength(taken);
  });

  it('a malformed payload is refused and counted, never thrown', async () => {
    state.started = await startSink({ log_path: state.dir, channels: { flows: { log_name: 'flows-' } } }, state.dir);
    const broken = { message: 'flow', types: ['stream-flows'], format: 'json', compressor: 'none' } as unknown as Payload;
    expect(state.started.sink.dispatch('flows', broken)).toBe(false);
    expect(state.started.sink.stats()).toMatchObject({ errors: 1, queued: 0 });
    expect(state.started.context.lines).toEqual([{ level: 'error', message: 'channel flows: refused a malformed payload (no data bytes)' }]);
  });

  it('a log directory removed while running: errors are counted and logged, nothing throws', async () => {
    const directory = join(state.dir, 'logs');
    await (await import('node:fs/promises')).mkdir(directory);
    const config = { log_path: directory, channels: { flows: { log_name: 'flows-', max_file_kb: 1 } } };
    state.started = await startSink(config, state.dir);
    const { sink, context } = state.started;
    await rm(directory, { recursive: true });
    for (const message of messages(5)) expect(sink.dispatch('flows', jsonPayload('flow', message))).toBe(true);
    await sink.stop();
    const stats = sink.stats();
    expect(stats.errors).toBeGreaterThan(0);
    expect(stats.dropped).toBe(5);
    expect(stats.sent).toBe(0);
    const errors = context.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^channel flows: cannot create a file in .*logs: ENOENT.*payload\(s\) lost/);
    expect(await readdir(state.dir)).toEqual([]);
  });
});
