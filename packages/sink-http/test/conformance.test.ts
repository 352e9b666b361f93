// Ensures sink-http keeps the Sink contract (plugin-sdk's conformance check) against a
// real HTTP collector on 127.0.0.1: refusals, in-order delivery, flush at stop, counters.
import { afterEach, describe, expect, it } from 'vitest';
import { checkSinkConformance } from '@netifyd/plugin-sdk/testing';
import plugin from '../src/index.js';
import { startCollector } from './helpers/collector.js';
import type { Collector } from './helpers/collector.js';

let peer: Collector | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

describe('sink-http conformance', () => {
  it('passes checkSinkConformance against a loopback collector', async () => {
    const collector = await startCollector();
    peer = collector;
    const report = await checkSinkConformance({
      create: (context) => plugin.create(context),
      config: {
        retry_min_ms: 50,
        retry_max_ms: 400,
        stop_timeout_ms: 2000,
        channels: {
          flows: { url: `${collector.url}/flows`, headers: {} },
          off: { enable: false, url: `${collector.url}/off`, headers: {} },
        },
      },
      channel: 'flows',
      disabledChannel: 'off',
      received: () => collector.accepted(),
      context: { name: 'sink-http', configFile: 'netify-sink-http.json' },
    });
    expect(report.passed.length).toBeGreaterThanOrEqual(15);
    expect(report.stats).toMatchObject({ sent: 5, dropped: 0, backlog: 0 });
    expect(collector.requests.every((request) => request.url === '/flows')).toBe(true);
  });
});
