// Ensures sink-mqtt talks to brokers that demand TLS and/or credentials: mqtts with a CA
// from ca_file, mutual TLS with cert_file/key_file, user/pass against a Mosquitto password
// file, WebSocket (ws:// and wss://) URLs; and that a broker signed by another CA or a
// wrong password fails closed, delivers nothing, and says why without the password.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AGENT, createTempDir, delay, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import type { TempDir } from '@netifyd/plugin-sdk/testing';
import { generatePki } from './helpers/certs.js';
import type { Pki } from './helpers/certs.js';
import { Mosquitto } from './helpers/mosquitto.js';
import { SinkHarness, brokerConfig } from './helpers/sink.js';
import { subscribe } from './helpers/subscriber.js';
import type { Subscriber } from './helpers/subscriber.js';

const TOPIC = `netify/${TEST_AGENT.uuid}/flows`;
let root: TempDir;
let pki: Pki;
const brokers: Mosquitto[] = [];
const brokerDirs: TempDir[] = [];
beforeAll(async () => {
  root = await createTempDir('sink-mqtt-security');
  pki = await generatePki(root.path);
});
afterAll(async () => {
  for (const broker of brokers) await broker.stop();
  for (const dir of brokerDirs.splice(0)) await dir.remove();
  await root?.remove();
});

const harness = new SinkHarness();
const subscribers: Subscriber[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
});

async function broker(options: Parameters<typeof Mosquitto.create>[1]): Promise<Mosquitto> {
  const dir = await createTempDir('sink-mqtt-broker');
  brokerDirs.push(dir);
  const started = await Mosquitto.create(dir.path, options);
  brokers.push(started);
  return started;
}

async function listen(url: string, options: Parameters<typeof subscribe>[2] = {}): Promise<Subscriber> {
  const subscriber = await subscribe(url, TOPIC, options);
  subscribers.push(subscriber);
  return subscriber;
}

describe('sink-mqtt TLS and authentication', () => {
  it('mqtts:// with ca_file delivers to a TLS-only listener', async () => {
    const tlsBroker = await broker({ tls: { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } });
    const url = `mqtts://127.0.0.1:${tlsBroker.port}`;
    const sub = await listen(url, { ca: await readText(pki.caFile) });
    const { sink } = await harness.create({ url, ca_file: pki.caFile, reconnect_min_ms: 100 });
    sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => sub.messages.length === 1, 5000)).toBe(true);
    expect(sequenceOf(sub.messages[0]?.payload ?? Buffer.alloc(0))).toBe(1);
  });

  it('host + port + tls:true with another CA fails closed: nothing delivered, one clear error', async () => {
    const tlsBroker = await broker({ tls: { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } });
    const sub = await listen(`mqtts://127.0.0.1:${tlsBroker.port}`, { ca: await readText(pki.caFile) });
    const { sink, tc } = await harness.create(brokerConfig(tlsBroker.port, { tls: true, ca_file: pki.otherCaFile, stop_timeout_ms: 100 }));
    sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => sink.stats().errors >= 2, 5000)).toBe(true);
    await delay(100);
    expect(sub.messages).toHaveLength(0);
    const errors = tc.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(
      /^broker mqtts:\/\/127\.0\.0\.1:\d+: TLS certificate not trusted \([A-Z_]+\); set ca_file to the CA that signed the broker's certificate/,
    );
    expect(sink.stats()).toMatchObject({ sent: 0, connected: 0, backlog: 1 });
  });

  it('mutual TLS: a broker requiring client certificates accepts cert_file/key_file', async () => {
    const mtls = await broker({ tls: { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, requireClientCert: true } });
    const url = `mqtts://127.0.0.1:${mtls.port}`;
    const sub = await listen(url, { ca: await readText(pki.caFile), cert: await readText(pki.clientCertFile), key: await readText(pki.clientKeyFile) });
    const { sink } = await harness.create({ url, ca_file: pki.caFile, cert_file: pki.clientCertFile, key_file: pki.clientKeyFile, reconnect_min_ms: 100 });
    sink.dispatch('flows', flowPayload(2));
    expect(await waitFor(() => sub.messages.length === 1, 5000)).toBe(true);
  });

  it('user/pass against a password file; a wrong password fails closed without logging it', async () => {
    const authBroker = await broker({ users: { netify: 'right-pass', reader: 'reader-pass' } });
    const sub = await listen(authBroker.url, { username: 'reader', password: 'reader-pass' });
    const good = await harness.create(brokerConfig(authBroker.port, { user: 'netify', pass: 'right-pass', client_id: 'agent-good' }));
    const bad = await harness.create(brokerConfig(authBroker.port, { user: 'netify', pass: 'wrong-pass-123', client_id: 'agent-bad' }));
    good.sink.dispatch('flows', flowPayload(1));
    bad.sink.dispatch('flows', flowPayload(2));
    expect(await waitFor(() => sub.messages.length === 1, 5000)).toBe(true);
    expect(await waitFor(() => bad.sink.stats().errors >= 2, 5000)).toBe(true);
    expect(sequenceOf(sub.messages[0]?.payload ?? Buffer.alloc(0))).toBe(1);
    expect(bad.sink.stats()).toMatchObject({ sent: 0, connected: 0, backlog: 1 });
    const badErrors = bad.tc.lines.filter((l) => l.level === 'error');
    expect(badErrors).toHaveLength(1);
    expect(badErrors[0]?.message).toMatch(/: Connection refused: Not authorized; check user and pass; retrying/);
    expect(bad.tc.text()).not.toContain('wrong-pass-123');
    expect(good.tc.text()).not.toContain('right-pass');
  });

  it('ws:// and wss:// broker URLs (extension)', async () => {
    const wsBroker = await broker({ websockets: true });
    const sub = await listen(wsBroker.url);
    const { sink } = await harness.create({ url: `ws://127.0.0.1:${wsBroker.wsPort}/mqtt`, reconnect_min_ms: 100 });
    sink.dispatch('flows', flowPayload(3));
    expect(await waitFor(() => sub.messages.length === 1, 5000)).toBe(true);

    const wssBroker = await broker({ websockets: true, tls: { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } });
    const wssUrl = `wss://127.0.0.1:${wssBroker.wsPort}/mqtt`;
    const wssSub = await listen(`mqtts://127.0.0.1:${wssBroker.port}`, { ca: await readText(pki.caFile) });
    const secure = await harness.create({ url: wssUrl, ca_file: pki.caFile, reconnect_min_ms: 100 });
    secure.sink.dispatch('flows', flowPayload(4));
    expect(await waitFor(() => wssSub.messages.length === 1, 5000)).toBe(true);
  });
});

function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
