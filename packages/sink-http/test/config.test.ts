// Ensures sink-http accepts every config Netify's v5 schema accepts, and refuses bad ones
// at init with one PluginConfigError naming the file and the key, never a secret.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isNetifydError } from '@netifyd/plugin-sdk';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import plugin from '../src/index.js';
import { SinkHarness, httpContext, sampleConfig } from './helpers/sink.js';

const harness = new SinkHarness();
const contexts: TestContext[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const context of contexts.splice(0)) await context.cleanup();
});

/** A sink-http context whose temp state dirs are removed after the test. */
function context(configFile?: string): TestContext {
  const made = httpContext({ configFile });
  contexts.push(made);
  return made;
}

async function initError(config: unknown): Promise<Error & { code?: string; path?: string; file?: string }> {
  const sink = plugin.create(context('/etc/netifyd/netify-sink-http.json'));
  const error = await sink.init(config).then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  await sink.stop();
  if (!error) throw new Error('init accepted a bad config');
  return error;
}

describe('sink-http config', () => {
  it('is a sink plugin for the current ABI named sink-http', () => {
    expect(plugin.kind).toBe('sink');
    expect(plugin.name).toBe('sink-http');
    expect(plugin.abi).toBe('1.0');
    expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("accepts a config written for Netify's schema unchanged (https URLs, headers with variables)", async () => {
    const { sink } = await harness.create({
      timeout_connect: 30,
      timeout_transfer: 300,
      channels: {
        flows: { enable: true, url: 'https://sink.example.com/v1/flows', headers: { 'X-UUID': '${uuid_agent}' } },
        intel: { enable: false, url: 'https://sink.example.com/v1/${uuid_agent}/intel', headers: {} },
      },
    });
    expect(sink.channels()).toEqual(['flows']);
  });

  it('accepts the sample etc/netify-sink-http.json', async () => {
    const { sink } = await harness.create(sampleConfig());
    expect(sink.channels()).toEqual(['flows']);
  });

  it('refuses a URL that is malformed after variable expansion, naming the key', async () => {
    const error = await initError({ channels: { flows: { url: 'http://exa mple.com/${uuid_agent}', headers: {} } } });
    expect(isNetifydError(error)).toBe(true);
    expect(error.code).toBe('ERR_PLUGIN_CONFIG');
    expect(error.path).toBe('/channels/flows/url');
    expect(error.message).toBe(
      '/etc/netifyd/netify-sink-http.json: /channels/flows/url is not a valid URL (got "http://exa mple.com/NE-TS-TE-ST")',
    );
  });

  it('refuses a non-HTTP scheme', async () => {
    const error = await initError({ channels: { flows: { url: 'ftp://collector/flows', headers: {} } } });
    expect(error.code).toBe('ERR_PLUGIN_CONFIG');
    expect(error.message).toMatch(/netify-sink-http\.json: \/channels\/flows\/url must match pattern/);
  });

  it('refuses credentials inside the URL without echoing them', async () => {
    const error = await initError({ channels: { flows: { url: 'http://bob:hunter2@127.0.0.1/flows', headers: {} } } });
    expect(error.path).toBe('/channels/flows/url');
    expect(error.message).toContain('/channels/flows/auth');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses an unreadable ca_file, naming key and path', async () => {
    const error = await initError({ ca_file: '/nonexistent/ca.pem', channels: { flows: { url: 'https://127.0.0.1/x', headers: {} } } });
    expect(error.code).toBe('ERR_PLUGIN_CONFIG');
    expect(error.path).toBe('/ca_file');
    expect(error.message).toBe('/etc/netifyd/netify-sink-http.json: /ca_file cannot be read: ENOENT (got "/nonexistent/ca.pem")');
  });

  it('refuses a channel ca_file that holds no certificate', async () => {
    const tc = context();
    const notPem = join(tc.paths.volatile, 'not-a-ca.pem');
    await writeFile(notPem, 'hello');
    const sink = plugin.create(tc);
    await expect(sink.init({ channels: { flows: { url: 'https://127.0.0.1/x', headers: {}, ca_file: notPem } } })).rejects.toMatchObject({
      code: 'ERR_PLUGIN_CONFIG',
      path: '/channels/flows/ca_file',
    });
  });

  it('names the key and the received value for a wrong type', async () => {
    const error = await initError({ timeout_connect: '30', channels: {} });
    expect(error.message).toBe('/etc/netifyd/netify-sink-http.json: /timeout_connect must be integer (got "30")');
  });

  it('requires url in every channel', async () => {
    const error = await initError({ channels: { flows: { headers: {} } } });
    expect(error.message).toBe('/etc/netifyd/netify-sink-http.json: /channels/flows/url is required');
  });

  it('refuses a header that could not be sent', async () => {
    const error = await initError({ channels: { flows: { url: 'http://127.0.0.1/', headers: { 'X-Bad': 'a\r\nInjected: 1' } } } });
    expect(error.path).toBe('/channels/flows/headers/X-Bad');
  });

  it('never puts an auth token or password in the error', async () => {
    const token = await initError({ channels: { flows: { url: 'http://127.0.0.1/', auth: { token: 'sekrit-token', extra: 1 } } } });
    expect(token.code).toBe('ERR_PLUGIN_CONFIG');
    expect(token.message).not.toContain('sekrit-token');
    const pass = await initError({ channels: { flows: { url: 'http://127.0.0.1/', auth: { user: 'bob', pass: 42 } } } });
    expect(pass.message).not.toContain('42');
  });

  it('refuses a backlog_path that cannot be created', async () => {
    const tc = context();
    const aFile = join(tc.paths.volatile, 'a-file');
    await writeFile(aFile, '');
    const sink = plugin.create(tc);
    await expect(sink.init({ backlog_path: `${aFile}/spool`, channels: {} })).rejects.toMatchObject({
      code: 'ERR_PLUGIN_CONFIG',
      path: '/backlog_path',
      message: expect.stringContaining('/backlog_path cannot be created: ENOTDIR'),
    });
  });

  it('does not modify the config object it was given', async () => {
    const config = { channels: { flows: { url: 'http://127.0.0.1/', headers: {} } } };
    const before = JSON.stringify(config);
    await harness.create(config);
    expect(JSON.stringify(config)).toBe(before);
  });
});
