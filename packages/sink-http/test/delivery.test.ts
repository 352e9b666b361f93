// Ensures sink-http POSTs each payload's bytes unchanged to a real loopback collector,
// with the content headers of its format, the agent identity, the configured headers and
// auth, in dispatch order per channel; and refuses what it cannot route.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Payload } from '@netifyd/plugin-sdk';
import { TEST_AGENT, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import { channelConfig, useCollectorFixture } from './helpers/sink.js';

const { harness, collector } = useCollectorFixture();

describe('sink-http delivery', () => {
  it('POSTs payload.data unchanged with JSON content type, identity and expanded Netify headers', async () => {
    const peer = await collector();
    const { sink } = await harness.create(
      channelConfig(`${peer.url}/v1/\${uuid_agent}/\${channel}`, {}, { headers: { 'X-Netify-Agent': '${uuid_agent}', 'X-Static': 'yes' } }),
    );
    const payload = flowPayload(1);
    expect(sink.dispatch('flows', payload)).toBe(true);
    expect(await waitFor(() => peer.requests.length === 1, 5000)).toBe(true);
    const [request] = peer.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/v1/${TEST_AGENT.uuid}/flows`);
    expect(request?.body.equals(Buffer.from(payload.data))).toBe(true);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['content-encoding']).toBeUndefined();
    expect(request?.headers['x-uuid']).toBe(TEST_AGENT.uuid);
    expect(request?.headers['x-uuid-serial']).toBe(TEST_AGENT.uuidSerial);
    expect(request?.headers['x-netify-agent']).toBe(TEST_AGENT.uuid);
    expect(request?.headers['x-static']).toBe('yes');
    expect(request?.headers['user-agent']).toBe(TEST_AGENT.buildVersion);
    expect(request?.headers.authorization).toBeUndefined();
    // The collector has the request before the sink has the response: wait for the sink's view.
    expect(await waitFor(() => sink.stats().sent === 1, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ queued: 1, sent: 1, dropped: 0, errors: 0, retried: 0, backlog: 0, backlog_bytes: 0 });
  });

  it('sends gzip payloads as is with Content-Encoding: gzip, and msgpack with its content type', async () => {
    const peer = await collector();
    const { sink } = await harness.create(channelConfig(`${peer.url}/in`));
    const msgpack: Payload = { message: 'flow', types: ['stream-flows'], format: 'msgpack', compressor: 'none', data: Uint8Array.of(0x81, 0xa1, 0x61, 0x01) };
    sink.dispatch('flows', flowPayload(7, { compressor: 'gz' }));
    sink.dispatch('flows', msgpack);
    expect(await waitFor(() => peer.requests.length === 2, 5000)).toBe(true);
    const [gz, mp] = peer.requests;
    expect(gz?.headers['content-encoding']).toBe('gzip');
    expect(gz?.headers['content-type']).toBe('application/json');
    expect(sequenceOf(gunzipSync(gz?.body ?? Buffer.alloc(0)))).toBe(7);
    expect(mp?.headers['content-type']).toBe('application/msgpack');
    expect([...(mp?.body ?? [])]).toEqual([0x81, 0xa1, 0x61, 0x01]);
  });

  it('adds a bearer token or basic credentials when configured', async () => {
    const peer = await collector();
    const { sink } = await harness.create({
      retry_min_ms: 50,
      channels: {
        bearer: { url: `${peer.url}/a`, headers: {}, auth: { token: 't0k3n' } },
        basic: { url: `${peer.url}/b`, headers: {}, auth: { user: 'netify', pass: 's3cret' } },
      },
    });
    sink.dispatch('bearer', flowPayload(1));
    expect(await waitFor(() => peer.requests.length === 1, 5000)).toBe(true);
    sink.dispatch('basic', flowPayload(2));
    expect(await waitFor(() => peer.requests.length === 2, 5000)).toBe(true);
    expect(peer.requests[0]?.headers.authorization).toBe('Bearer t0k3n');
    expect(peer.requests[1]?.headers.authorization).toBe(`Basic ${Buffer.from('netify:s3cret').toString('base64')}`);
  });

  it('keeps dispatch order within a channel and routes each channel to its own URL', async () => {
    const peer = await collector();
    const { sink } = await harness.create({
      channels: { flows: { url: `${peer.url}/flows`, headers: {} }, stats: { url: `${peer.url}/stats`, headers: {} } },
    });
    for (let seq = 0; seq < 200; seq += 1) expect(sink.dispatch(seq % 4 === 0 ? 'stats' : 'flows', flowPayload(seq))).toBe(true);
    expect(await waitFor(() => peer.requests.length === 200, 10_000)).toBe(true);
    const byPath = (path: string) => peer.requests.filter((r) => r.url === path).map((r) => sequenceOf(r.body));
    const expectedStats = [...Array(200).keys()].filter((seq) => seq % 4 === 0);
    expect(byPath('/stats')).toEqual(expectedStats);
    expect(byPath('/flows')).toEqual([...Array(200).keys()].filter((seq) => seq % 4 !== 0));
    expect(await waitFor(() => sink.stats().sent === 200, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ queued: 200, sent: 200, dropped: 0 });
  });

  it('a malformed payload is refused and counted, never thrown', async () => {
    const peer = await collector();
    const { sink, tc } = await harness.create(channelConfig(`${peer.url}/f`));
    const broken = { message: 'flow', types: ['stream-flows'], format: 'json', compressor: 'none' } as unknown as Payload;
    expect(sink.dispatch('flows', broken)).toBe(false);
    expect(sink.stats().errors).toBe(1);
    expect(tc.text()).toContain('error: flows: payload refused');
  });

  it('refuses unknown and disabled channels and anything after stop, counting them', async () => {
    const peer = await collector();
    const { sink } = await harness.create({
      channels: { flows: { url: `${peer.url}/f`, headers: {} }, off: { enable: false, url: `${peer.url}/o`, headers: {} } },
    });
    expect(sink.channels()).toEqual(['flows']);
    expect(sink.dispatch('nope', flowPayload(1))).toBe(false);
    expect(sink.dispatch('off', flowPayload(2))).toBe(false);
    await sink.stop();
    expect(sink.dispatch('flows', flowPayload(3))).toBe(false);
    expect(sink.stats()).toMatchObject({ refused: 3, queued: 0 });
    expect(peer.requests).toHaveLength(0);
  });
});
