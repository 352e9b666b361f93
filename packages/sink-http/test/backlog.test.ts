// Ensures the backlog stays within max_backlog_kb by dropping the oldest waiting payloads
// (each counted), keeps what survives in order, and that with backlog_path an
// undelivered backlog survives stop/start and is delivered, in order, by the next instance.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDir, delay, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import { freePort } from './helpers/collector.js';
import { reportFigures } from './helpers/faults.js';
import { channelConfig, useCollectorFixture } from './helpers/sink.js';

const { harness, collector, onCleanup } = useCollectorFixture();
const collectorOn = (port: number) => collector({ port });

const range = (from: number, to: number) => [...Array(to - from).keys()].map((i) => i + from);

describe('sink-http backlog', () => {
  it('drops the oldest waiting payloads beyond max_backlog_kb, counts them, delivers the rest in order', async () => {
    const port = await freePort();
    const { sink, tc } = await harness.create(channelConfig(`http://127.0.0.1:${port}/flows`, { max_backlog_kb: 8 }));
    // 1 KiB payloads into an 8 KiB backlog while the collector is down.
    let peakBytes = 0;
    expect(sink.dispatch('flows', flowPayload(0, { size: 1024 }))).toBe(true);
    expect(await waitFor(() => sink.stats().errors > 0, 5000)).toBe(true);
    for (let seq = 1; seq < 40; seq += 1) {
      expect(sink.dispatch('flows', flowPayload(seq, { size: 1024 }))).toBe(true);
      peakBytes = Math.max(peakBytes, sink.stats().backlog_bytes ?? 0);
    }
    expect(peakBytes).toBeLessThanOrEqual(8 * 1024);
    const stats = sink.stats();
    expect(stats.dropped_backlog_full).toBe(32);
    expect(stats.backlog).toBe(8);
    const peer = await collectorOn(port);
    expect(await waitFor(() => peer.accepted().length === 8, 10_000)).toBe(true);
    const delivered = peer.accepted().map(sequenceOf);
    // The head being retried stays held (never dropped mid-retry); the newest 7 survive behind it.
    expect(delivered).toEqual([0, ...range(33, 40)]);
    expect(delivered.length + sink.stats().dropped).toBe(40);
    expect(await waitFor(() => sink.stats().sent === 8, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ queued: 40, sent: 8, dropped: 32, backlog: 0 });
    expect(tc.lines.filter((l) => l.message.includes('backlog full'))).toHaveLength(1);
    reportFigures('http backlog overflow', {
      dispatched: 40,
      delivered: delivered.length,
      dropped_counted: sink.stats().dropped,
      peak_backlog_bytes: peakBytes,
    });
  });

  it('refuses a payload larger than the whole backlog', async () => {
    const port = await freePort();
    const { sink } = await harness.create(channelConfig(`http://127.0.0.1:${port}/flows`, { max_backlog_kb: 1 }));
    expect(sink.dispatch('flows', flowPayload(0, { size: 2048 }))).toBe(false);
    expect(sink.stats()).toMatchObject({ dropped: 1, dropped_too_large: 1, queued: 1, backlog: 0 });
  });

  it('spools an undelivered backlog at stop and delivers it in order after restart', async () => {
    const port = await freePort();
    const spool = await createTempDir('sink-http-spool');
    onCleanup(spool.remove);
    const dir = spool.path;
    const config = channelConfig(`http://127.0.0.1:${port}/flows`, { backlog_path: '${path_state_volatile}/spool', stop_timeout_ms: 300 });
    const first = await harness.create(config, { dir });
    for (let seq = 0; seq < 30; seq += 1) first.sink.dispatch('flows', flowPayload(seq));
    const stopStarted = Date.now();
    await first.sink.stop();
    expect(Date.now() - stopStarted).toBeLessThan(2000);
    expect(first.sink.stats()).toMatchObject({ spooled: 30, dropped: 0 });
    expect(await readdir(join(dir, 'spool'))).toEqual(['flows.spool']);

    const peer = await collectorOn(port);
    const second = await harness.create(config, { dir });
    second.sink.dispatch('flows', flowPayload(30));
    expect(await waitFor(() => peer.accepted().length === 31, 10_000)).toBe(true);
    expect(peer.accepted().map(sequenceOf)).toEqual(range(0, 31));
    expect(second.tc.text()).toContain('reloaded 30 spooled payload(s)');
    await second.sink.stop();
    expect(await readdir(join(dir, 'spool'))).toEqual([]);
  });

  it('moves a damaged spool aside, says so, and carries on', async () => {
    const port = await freePort();
    const spool = await createTempDir('sink-http-spool');
    onCleanup(spool.remove);
    const dir = spool.path;
    const peer = await collectorOn(port);
    const config = channelConfig(`http://127.0.0.1:${port}/flows`, { backlog_path: join(dir, 'spool') });
    const first = await harness.create(config, { dir });
    await first.sink.stop();
    await writeFile(join(dir, 'spool', 'flows.spool'), 'netifyd-ts-spool 1\n{"message":"flow"');
    const second = await harness.create(config, { dir });
    expect(second.tc.text()).toMatch(/error: flows: spool not reloaded: .*flows\.spool: truncated record header .*moved to .*flows\.spool\.corrupt/);
    second.sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => peer.accepted().length === 1, 5000)).toBe(true);
    expect((await readdir(join(dir, 'spool'))).sort()).toEqual(['flows.spool.corrupt']);
  });

  it('without backlog_path, stop() counts what it could not deliver as dropped_at_stop', async () => {
    const port = await freePort();
    const { sink, tc } = await harness.create(channelConfig(`http://127.0.0.1:${port}/flows`, { stop_timeout_ms: 200 }));
    for (let seq = 0; seq < 5; seq += 1) sink.dispatch('flows', flowPayload(seq));
    await delay(50);
    await sink.stop();
    expect(sink.stats()).toMatchObject({ dropped: 5, dropped_at_stop: 5, sent: 0, backlog: 0 });
    expect(tc.text()).toContain('dropped 5 payload(s) in total');
  });
});
