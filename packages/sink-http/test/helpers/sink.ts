import { readFileSync } from 'node:fs';
import type { Sink } from '@netifyd/plugin-sdk';
import plugin from '../../src/index.js';
import { createTestContext } from './context.js';
import type { TestContext } from './context.js';
import { makeTempDir, removeDir } from './temp-dir.js';

export interface SinkUnderTest {
  readonly sink: Sink;
  readonly tc: TestContext;
  readonly dir: string;
}

/** The package's sample config (the one README and etc/ show). */
export function sampleConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../etc/netify-sink-http.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** Builds sink-http through its plugin factory; `cleanup` stops it and removes its temp dir. */
export class SinkHarness {
  private readonly made: SinkUnderTest[] = [];

  async create(config: unknown, options: { dir?: string } = {}): Promise<SinkUnderTest> {
    const dir = options.dir ?? (await makeTempDir('sink-http'));
    const tc = createTestContext({ volatile: dir });
    const sink = plugin.create(tc.context);
    const made = { sink, tc, dir };
    this.made.push(made);
    await sink.init(config);
    await sink.start();
    return made;
  }

  async cleanup(): Promise<void> {
    for (const { sink, dir } of this.made.splice(0)) {
      await sink.stop();
      await removeDir(dir);
    }
  }
}

/** A config with one channel `flows` posting to `url`, fast retries, and overrides. */
export function channelConfig(url: string, overrides: Record<string, unknown> = {}, channel: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    retry_min_ms: 50,
    retry_max_ms: 400,
    stop_timeout_ms: 2000,
    ...overrides,
    channels: { flows: { url, headers: {}, ...channel } },
  };
}
