// Ensures the example sink keeps the Sink contract (plugin-sdk's conformance check) with
// its real output file as the peer, and that a bad config is refused with the SDK's error.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSinkConformance, createTestContext } from '@netifyd/plugin-sdk/testing';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import plugin from '../index.js';

describe('sink-example conformance', () => {
  it('passes checkSinkConformance with its output file as the peer', async () => {
    let file: string | undefined;
    const report = await checkSinkConformance({
      create: (context) => plugin.create(context),
      config: (context: TestContext) => {
        file = join(context.paths.volatile, 'out.jsonl');
        return { path: file, channels: ['flows'] };
      },
      channel: 'flows',
      received: async () => (await readFile(file as string, 'utf8').catch(() => '')).split('\n').filter((line) => line !== ''),
      context: { name: 'sink-example' },
    });
    expect(report.passed.length).toBeGreaterThanOrEqual(15);
    expect(report.stats).toMatchObject({ sent: 5, errors: 0 });
  });

  it('refuses a config without path, naming the file and the key', async () => {
    const context = createTestContext({ name: 'sink-example', configFile: '/etc/netifyd/netify-sink-example.json' });
    try {
      const sink = plugin.create(context);
      await expect(sink.init({ channels: ['flows'] })).rejects.toMatchObject({
        code: 'ERR_PLUGIN_CONFIG',
        message: '/etc/netifyd/netify-sink-example.json: /path is required',
      });
    } finally {
      await context.cleanup();
    }
  });

  it('a file it cannot open is counted and logged, and payloads are refused, never thrown', async () => {
    const context = createTestContext({ name: 'sink-example' });
    try {
      const sink = plugin.create(context);
      await sink.init({ path: join(context.paths.volatile, 'missing-dir', 'out.jsonl'), channels: ['flows'] });
      await sink.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sink.dispatch('flows', { message: 'flow', types: ['stream-flows'], format: 'json', compressor: 'none', data: Buffer.from('{}') })).toBe(false);
      await sink.stop();
      expect(sink.stats()).toMatchObject({ errors: 1, sent: 0, dropped: 1 });
      expect(context.messages('error')).toEqual([expect.stringMatching(/missing-dir\/out\.jsonl: ENOENT/)]);
    } finally {
      await context.cleanup();
    }
  });
});
