// Ensures sink-mqtt accepts every config Netify's v5 schema accepts, and refuses bad ones
// (unknown QoS, malformed URL, unreadable CA, ...) at init with one PluginConfigError that
// names the file and the key and never shows a password.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isNetifydError } from '@netifyd/plugin-sdk';
import { createTestContext } from '@netifyd/plugin-sdk/testing';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import plugin from '../src/index.js';
import { SinkHarness, sampleConfig } from './helpers/sink.js';

const FILE = '/etc/netifyd/netify-sink-mqtt.json';
const harness = new SinkHarness();
const contexts: TestContext[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const context of contexts.splice(0)) await context.cleanup();
});

async function initError(config: unknown): Promise<Error & { code?: string; path?: string }> {
  const context = createTestContext({ name: 'sink-mqtt', configFile: FILE });
  contexts.push(context);
  const sink = plugin.create(context);
  const error = await sink.init(config).then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  await sink.stop();
  if (!error) throw new Error('init accepted a bad config');
  return error;
}

const netifyConfig = { host: 'localhost', user: 'netify', pass: 'pw', topic: 'netify/${uuid_agent}/${channel}' };

describe('sink-mqtt config', () => {
  it('is a sink plugin for the current ABI named sink-mqtt', () => {
    expect(plugin).toMatchObject({ kind: 'sink', name: 'sink-mqtt', abi: '1.0' });
  });

  it("accepts Netify's minimal config (host, user, pass, topic) and the sample file, without connecting at init", async () => {
    const { sink } = await harness.create(netifyConfig, { start: false });
    // Netify's config has no channel list: the sink takes any channel name proc-core routes to it.
    expect(sink.channels()).toEqual(['*']);
    expect(sink.stats()).toMatchObject({ connected: 0, queued: 0 });
    await harness.create(sampleConfig(), { start: false });
  });

  it('refuses an unknown QoS naming the key and the value', async () => {
    const error = await initError({ ...netifyConfig, message_qos: 3 });
    expect(isNetifydError(error)).toBe(true);
    expect(error.code).toBe('ERR_PLUGIN_CONFIG');
    expect(error.path).toBe('/message_qos');
    expect(error.message).toBe(`${FILE}: /message_qos must be one of 0, 1, 2 (got 3)`);
  });

  it('refuses a malformed or wrong-scheme url', async () => {
    const malformed = await initError({ url: 'mqtt://bad host:1883' });
    expect(malformed.path).toBe('/url');
    expect(malformed.message).toBe(`${FILE}: /url is not a valid URL (got "mqtt://bad host:1883")`);
    const scheme = await initError({ url: 'http://127.0.0.1:1883' });
    expect(scheme.path).toBe('/url');
    expect(scheme.message).toMatch(/\/url must match pattern/);
  });

  it('refuses credentials inside url without echoing them', async () => {
    const error = await initError({ url: 'mqtts://bob:hunter2@127.0.0.1:8883' });
    expect(error.path).toBe('/url');
    expect(error.message).not.toContain('hunter2');
  });

  it('requires host or url', async () => {
    const error = await initError({ topic: 'a/b' });
    expect(error.path).toBe('/host');
    expect(error.message).toBe(`${FILE}: /host is required (or give the broker as /url)`);
  });

  it('refuses an unreadable ca_file, and a cert_file without key_file', async () => {
    const ca = await initError({ ...netifyConfig, ca_file: '/nonexistent/ca.pem' });
    expect(ca.path).toBe('/ca_file');
    expect(ca.message).toBe(`${FILE}: /ca_file cannot be read: ENOENT (got "/nonexistent/ca.pem")`);
    const scratch = createTestContext({ name: 'sink-mqtt' });
    contexts.push(scratch);
    const notPem = join(scratch.paths.volatile, 'cert.pem');
    await writeFile(notPem, 'not a certificate');
    const bad = await initError({ ...netifyConfig, cert_file: notPem, key_file: notPem });
    expect(bad.path).toBe('/cert_file');
    const half = await initError({ ...netifyConfig, key_file: notPem });
    expect(half.message).toBe(`${FILE}: /cert_file is required when /key_file is set`);
  });

  it('refuses topics with MQTT wildcards', async () => {
    const error = await initError({ ...netifyConfig, topic: 'netify/+/flows' });
    expect(error.path).toBe('/topic');
  });

  it('never shows the password in an error', async () => {
    const error = await initError({ ...netifyConfig, pass: 12345678 });
    expect(error.path).toBe('/pass');
    expect(error.message).not.toContain('12345678');
  });
});
