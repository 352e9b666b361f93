// Ensures HTTPS delivery verifies the collector: a CA given in ca_file is trusted, a
// collector signed by another CA (or not in the system roots) gets nothing and the log
// says why; tls_verify=false is the explicit opt-out.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, delay, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import type { TempDir } from '@netifyd/plugin-sdk/testing';
import { generatePki } from './helpers/certs.js';
import type { Pki } from './helpers/certs.js';
import { startCollector } from './helpers/collector.js';
import type { Collector } from './helpers/collector.js';
import { SinkHarness, channelConfig } from './helpers/sink.js';

let pkiDir: TempDir;
let pki: Pki;
let peer: Collector;
beforeAll(async () => {
  pkiDir = await createTempDir('sink-http-pki');
  pki = await generatePki(pkiDir.path);
  peer = await startCollector({ tls: { key: pki.serverKey, cert: pki.serverCert } });
});
afterAll(async () => {
  await peer?.close();
  await pkiDir?.remove();
});

const harness = new SinkHarness();
afterEach(async () => {
  await harness.cleanup();
  peer.requests.length = 0;
});

describe('sink-http TLS', () => {
  it('delivers over HTTPS when ca_file holds the CA that signed the collector', async () => {
    const { sink } = await harness.create(channelConfig(`${peer.url}/flows`, { ca_file: pki.caFile }));
    sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => peer.accepted().length === 1, 5000)).toBe(true);
    expect(sequenceOf(peer.accepted()[0] ?? Buffer.alloc(0))).toBe(1);
  });

  for (const [label, extra] of [
    ['another CA in ca_file', (p: Pki) => ({ ca_file: p.otherCaFile })],
    ['the system roots', () => ({})],
  ] as const) {
    it(`fails closed with ${label}: nothing delivered, one clear error`, async () => {
      const { sink, tc } = await harness.create(channelConfig(`${peer.url}/flows`, { ...extra(pki), stop_timeout_ms: 100 }));
      sink.dispatch('flows', flowPayload(1));
      expect(await waitFor(() => sink.stats().errors >= 2, 5000)).toBe(true);
      await delay(100);
      expect(peer.requests).toHaveLength(0);
      const errors = tc.lines.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(
        /^flows: POST to https:\/\/127\.0\.0\.1:\d+\/flows failed: TLS certificate not trusted \([A-Z_]+\); set ca_file to the CA that signed the collector's certificate/,
      );
      expect(sink.stats()).toMatchObject({ sent: 0, backlog: 1 });
    });
  }

  it('tls_verify=false is an explicit opt-out that delivers to an untrusted collector', async () => {
    const { sink } = await harness.create(channelConfig(`${peer.url}/flows`, { tls_verify: false }));
    sink.dispatch('flows', flowPayload(2));
    expect(await waitFor(() => peer.accepted().length === 1, 5000)).toBe(true);
  });
});
