// Ensures SIGHUP's reload, against real collectors on loopback: an unchanged channel keeps
// delivering, a channel moved to a new URL takes its undelivered backlog along in order
// (counted once), a removed channel is stopped as at stop(), and an invalid config
// changes nothing.
import { describe, expect, it } from 'vitest';
import { flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import { freePort } from './helpers/collector.js';
import { channelConfig, useCollectorFixture } from './helpers/sink.js';

const { harness, collector } = useCollectorFixture();

const withChannels = (channels: Record<string, string>) => ({
  ...channelConfig('http://unused.invalid/'),
  channels: Object.fromEntries(Object.entries(channels).map(([name, url]) => [name, { url, headers: {} }])),
});

describe('sink-http reload', () => {
  it('keeps an unchanged channel delivering and starts an added one', async () => {
    const peer = await collector();
    const { sink, tc } = await harness.create(withChannels({ flows: `${peer.url}/flows` }));
    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => peer.accepted().length === 1, 5000)).toBe(true);

    await sink.reload!(withChannels({ flows: `${peer.url}/flows`, stats: `${peer.url}/stats` }));

    expect(sink.dispatch('flows', flowPayload(1))).toBe(true);
    expect(sink.dispatch('stats', flowPayload(2))).toBe(true);
    expect(await waitFor(() => peer.accepted().length === 3, 5000)).toBe(true);
    expect(peer.requests.map((request) => [request.url, sequenceOf(request.body)])).toEqual([
      ['/flows', 0],
      ['/flows', 1],
      ['/stats', 2],
    ]);
    expect(tc.messages('info')).toContain(
      'reloaded: 1 channel(s) kept, 0 with new settings (0 undelivered payload(s) carried over), 1 added, 0 removed',
    );
  });

  it('moves the undelivered backlog of a channel whose URL changed to the new collector, in order', async () => {
    const down = `http://127.0.0.1:${await freePort()}/flows`;
    const { sink } = await harness.create(withChannels({ flows: down }));
    for (let i = 0; i < 5; i++) expect(sink.dispatch('flows', flowPayload(i))).toBe(true);
    expect(await waitFor(() => sink.stats().errors > 0, 5000)).toBe(true);
    const peer = await collector();

    await sink.reload!(withChannels({ flows: `${peer.url}/flows` }));

    expect(await waitFor(() => peer.accepted().length === 5, 5000)).toBe(true);
    expect(peer.accepted().map(sequenceOf)).toEqual([0, 1, 2, 3, 4]);
    expect(await waitFor(() => sink.stats().sent === 5, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ queued: 5, dropped: 0, backlog: 0 });
  });

  it('stops a removed channel as stop() would: bounded delivery, then what is left is counted', async () => {
    const down = `http://127.0.0.1:${await freePort()}/stats`;
    const peer = await collector();
    const { sink, tc } = await harness.create({
      ...withChannels({ flows: `${peer.url}/flows`, stats: down }),
      stop_timeout_ms: 200,
    });
    for (let i = 0; i < 3; i++) sink.dispatch('stats', flowPayload(i));

    await sink.reload!({ ...withChannels({ flows: `${peer.url}/flows` }), stop_timeout_ms: 200 });

    expect(sink.channels()).toEqual(['flows']);
    expect(sink.dispatch('stats', flowPayload(3))).toBe(false);
    expect(sink.stats()).toMatchObject({ dropped_at_stop: 3 });
    expect(tc.messages('info').at(-1)).toMatch(/, 1 removed$/);
  });

  it('refuses an invalid config and goes on delivering as before', async () => {
    const peer = await collector();
    const { sink } = await harness.create(withChannels({ flows: `${peer.url}/flows` }));

    await expect(sink.reload!(withChannels({ flows: 'gopher://example.org/' }))).rejects.toThrow(/netify-sink-http\.json/);

    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => peer.accepted().length === 1, 5000)).toBe(true);
  });
});
