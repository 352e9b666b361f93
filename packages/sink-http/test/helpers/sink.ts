import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import type { Sink } from '@netifyd/plugin-sdk';
import { createTestContext } from '@netifyd/plugin-sdk/testing';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import plugin from '../../src/index.js';
import { startCollector } from './collector.js';
import type { Collector, CollectorOptions } from './collector.js';

export interface SinkUnderTest {
  readonly sink: Sink;
  readonly tc: TestContext;
  /** The sink's state dir (`path_state_persistent` and `path_state_volatile`). */
  readonly dir: string;
}

/** The package's sample config (the one README and etc/ show). */
export function sampleConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../etc/netify-sink-http.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A test context for sink-http; state paths are `dir` when given, else temp dirs removed by `cleanup()`. */
export function httpContext(options: { dir?: string; configFile?: string } = {}): TestContext {
  return createTestContext({
    name: 'sink-http',
    configFile: options.configFile ?? 'netify-sink-http.json',
    ...(options.dir === undefined ? {} : { paths: { persistent: options.dir, volatile: options.dir } }),
  });
}

/** Builds sink-http through its plugin factory; `cleanup` stops it and removes its temp dirs. */
export class SinkHarness {
  private readonly made: SinkUnderTest[] = [];

  async create(config: unknown, options: { dir?: string } = {}): Promise<SinkUnderTest> {
    const tc = httpContext(options);
    const sink = plugin.create(tc);
    const made = { sink, tc, dir: tc.paths.volatile };
    this.made.push(made);
    await sink.init(config);
    await sink.start();
    return made;
  }

  async cleanup(): Promise<void> {
    for (const { sink, tc } of this.made.splice(0)) {
      await sink.stop();
      await tc.cleanup();
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

export interface CollectorFixture {
  /** Makes sinks; each is stopped after its test. */
  readonly harness: SinkHarness;
  /** A loopback collector, closed after the test. */
  collector(options?: CollectorOptions): Promise<Collector>;
  /** Runs after the test, once its sinks are stopped (latest first). */
  onCleanup(cleanup: () => Promise<void>): void;
}

/** Per test: the sinks it made are stopped, then its collectors and cleanups run. */
export function useCollectorFixture(): CollectorFixture {
  const harness = new SinkHarness();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await harness.cleanup();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    harness,
    async collector(options = {}) {
      const started = await startCollector(options);
      cleanups.push(() => started.close());
      return started;
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
