import { readFileSync } from 'node:fs';
import type { Sink } from '@netifyd/plugin-sdk';
import { createTestContext } from '@netifyd/plugin-sdk/testing';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import plugin from '../../src/index.js';

export interface SinkUnderTest {
  readonly sink: Sink;
  readonly tc: TestContext;
}

/** The package's sample config (the one README and etc/ show). */
export function sampleConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../etc/netify-sink-mqtt.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** Builds sink-mqtt through its plugin factory; `cleanup` stops every sink made and removes its temp dirs. */
export class SinkHarness {
  private readonly made: SinkUnderTest[] = [];

  async create(config: unknown, options: { start?: boolean } = {}): Promise<SinkUnderTest> {
    const tc = createTestContext({ name: 'sink-mqtt', configFile: 'netify-sink-mqtt.json' });
    const sink = plugin.create(tc);
    this.made.push({ sink, tc });
    await sink.init(config);
    if (options.start ?? true) await sink.start();
    return { sink, tc };
  }

  async cleanup(): Promise<void> {
    for (const { sink, tc } of this.made.splice(0)) {
      await sink.stop();
      await tc.cleanup();
    }
  }
}

/** Netify-style config for a broker on 127.0.0.1:`port`, fast reconnects, plus overrides. */
export function brokerConfig(port: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port,
    topic: 'netify/${uuid_agent}/${channel}',
    message_qos: 1,
    reconnect_min_ms: 100,
    reconnect_max_ms: 500,
    stop_timeout_ms: 2000,
    ...overrides,
  };
}
