// Ensures sink-log accepts every config Netify's v5 schema accepts, applies channel-level
// overrides, and rejects bad keys and bad log paths with one clear error and a stable code.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNetifydError } from '@netifyd/plugin-sdk';
import { createTempDir, createTestContext, flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import factory from '../src/index.js';
import { join, startSink, visibleFiles, waitFor } from './helpers.js';

let temp: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  temp = await createTempDir('sink-log-config');
});
afterEach(async () => {
  await temp.remove();
});

async function initError(config: unknown): Promise<unknown> {
  const sink = factory.create(createTestContext({ name: 'sink-log', configFile: 'netify-sink-log.json', paths: { persistent: temp.path, volatile: temp.path } }));
  return sink.init(config).then(
    () => expect.fail('init should have rejected'),
    (error: unknown) => error,
  );
}

describe('sink-log config', () => {
  it('declares itself as a sink plugin for the current ABI with the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(factory.kind).toBe('sink');
    expect(factory.name).toBe('sink-log');
    expect(factory.version).toBe(pkg.version);
    expect(factory.abi).toMatch(/^\d+\.\d+$/);
  });

  it('loads the sample etc/netify-sink-log.json (log_path pointed at a temp dir)', async () => {
    const sample = JSON.parse(await readFile(new URL('../etc/netify-sink-log.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const { sink, context } = await startSink({ ...sample, log_path: temp.path }, temp.path);
    expect([...sink.channels()].sort()).toEqual(['endpoints', 'flows', 'stats']);
    expect(context.lines.filter((line) => line.level !== 'debug')).toEqual([]);
    await sink.stop();
  });

  it("accepts Netify's own example channels unchanged: overwrite per channel, log_path per channel", async () => {
    const config = {
      channels: {
        endpoints: { overwrite: true, log_path: temp.path, log_name: 'netify-endpoints' },
        intel: { log_path: temp.path, log_name: 'netify-intel-' },
      },
    };
    const { sink } = await startSink(config, temp.path);
    expect(sink.dispatch('endpoints', jsonPayload('flow', flowMessage(1)))).toBe(true);
    expect(sink.dispatch('intel', jsonPayload('flow', flowMessage(2)))).toBe(true);
    await sink.stop();
    const files = await visibleFiles(temp.path);
    expect(files).toContain('netify-endpointslatest.json');
    expect(files.filter((name) => /^netify-intel-\d{8}-\d{6}\.json$/.test(name))).toHaveLength(1);
  });

  it('channel-level overwrite and log_path override the top-level ones', async () => {
    const other = join(temp.path, 'other');
    await mkdir(other);
    const config = {
      overwrite: true,
      log_path: temp.path,
      channels: {
        inherits: { log_name: 'a-' },
        overrides: { log_name: 'b-', overwrite: false, log_path: other },
      },
    };
    const { sink } = await startSink(config, temp.path);
    sink.dispatch('inherits', jsonPayload('flow', flowMessage(1)));
    sink.dispatch('overrides', jsonPayload('flow', flowMessage(2)));
    await sink.stop();
    expect(await visibleFiles(temp.path)).toEqual(['a-latest.json', 'other']);
    expect((await visibleFiles(other)).map((name) => name.replace(/\d{8}-\d{6}/, 'STAMP'))).toEqual(['b-STAMP.json']);
  });

  it('a disabled channel is not offered and refuses payloads', async () => {
    const config = { log_path: temp.path, channels: { off: { enable: false, log_name: 'off-' }, on: { log_name: 'on-' } } };
    const { sink } = await startSink(config, temp.path);
    expect(sink.channels()).toEqual(['on']);
    expect(sink.dispatch('off', jsonPayload('flow', flowMessage(1)))).toBe(false);
    expect(sink.dispatch('nope', jsonPayload('flow', flowMessage(1)))).toBe(false);
    expect(sink.stats().dropped).toBe(2);
    await sink.stop();
  });

  it('a channel without log_name is a config error naming the key', async () => {
    const error = await initError({ log_path: temp.path, channels: { flows: { overwrite: true } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toBe('netify-sink-log.json: /channels/flows/log_name is required');
  });

  it('a wrongly typed extension key is a config error naming key and value', async () => {
    const error = await initError({ log_path: temp.path, max_files: 'ten', channels: { flows: { log_name: 'f-' } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toBe('netify-sink-log.json: /max_files must be integer (got "ten")');
  });

  it('a log_name with a "/" is refused: it is a file name prefix', async () => {
    const error = await initError({ log_path: temp.path, channels: { flows: { log_name: 'sub/flows-' } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toContain('/channels/flows/log_name must be a file name prefix without "/"');
  });

  it('unknown keys are allowed (as in Netify schema) but warned about once', async () => {
    const { sink, context } = await startSink({ log_path: temp.path, colour: 'blue', channels: { f: { log_name: 'f-', size: 1 } } }, temp.path);
    expect(context.lines).toEqual([
      { level: 'warn', message: 'netify-sink-log.json: ignoring unknown key(s) colour, channels.f.size' },
    ]);
    await sink.stop();
  });

  it('a missing log_path directory is an ERR_SINK_LOG_PATH error naming the channel key and the path', async () => {
    const missing = join(temp.path, 'missing');
    const error = await initError({ channels: { flows: { log_name: 'f-', log_path: missing } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_SINK_LOG_PATH');
    expect((error as Error).message).toBe(
      `netify-sink-log.json: /channels/flows/log_path ${JSON.stringify(missing)} does not exist (expected a writable directory)`,
    );
  });

  it('an inherited top-level log_path that is a file names /log_path', async () => {
    const file = join(temp.path, 'a-file');
    await writeFile(file, 'x');
    const error = await initError({ log_path: file, channels: { flows: { log_name: 'f-' } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_SINK_LOG_PATH');
    expect((error as Error).message).toBe(
      `netify-sink-log.json: /log_path ${JSON.stringify(file)} is not a directory (expected a writable directory)`,
    );
  });

  it('a log_path the agent user cannot write to is an ERR_SINK_LOG_PATH error', async () => {
    const readOnly = join(temp.path, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    const config = { channels: { flows: { log_name: 'f-', log_path: readOnly } } };
    if (process.getuid?.() !== 0) {
      const error = await initError(config);
      expect(isNetifydError(error) && error.code).toBe('ERR_SINK_LOG_PATH');
      expect((error as Error).message).toContain('is not writable by this process');
      return;
    }
    // root may write anywhere: run init in a child process as user "nobody" instead.
    await chmod(temp.path, 0o755);
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      const { default: factory } = await import(${JSON.stringify(dist)});
      const noop = () => {};
      const sink = factory.create({ name: 'sink-log', configFile: 'netify-sink-log.json',
        log: { debug: noop, info: noop, warn: noop, error: noop }, agentConfig: () => undefined });
      try { await sink.init(${JSON.stringify(config)}); console.log('no error'); }
      catch (error) { console.log(error.code + ' ' + error.message); }`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 10_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(
      `ERR_SINK_LOG_PATH netify-sink-log.json: /channels/flows/log_path ${JSON.stringify(readOnly)} is not writable by this process (expected a writable directory)`,
    );
  });

  it('the overwrite flush period defaults to netifyd.conf update_interval', async () => {
    const config = { log_path: temp.path, overwrite: true, channels: { f: { log_name: 'f-' } } };
    const { sink } = await startSink(config, temp.path, { netifyd: { update_interval: '0.05' } });
    sink.dispatch('f', jsonPayload('flow', flowMessage(1)));
    await waitFor(async () => (await visibleFiles(temp.path)).includes('f-latest.json'), 2000);
    await sink.stop();
  });
});
