import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTempDir } from '@netifyd/plugin-sdk/testing';
import type { TempDir } from '@netifyd/plugin-sdk/testing';
import { Mosquitto } from './mosquitto.js';
import { SinkHarness } from './sink.js';
import { subscribe } from './subscriber.js';
import type { Subscriber } from './subscriber.js';

export interface BrokerFixture {
  /** The file's broker, started before its first test. */
  readonly broker: Mosquitto;
  /** Makes sinks; each is stopped after its test. */
  readonly harness: SinkHarness;
  /** A subscriber on the broker, closed after the test. */
  listen(filter: string): Promise<Subscriber>;
  /** Runs after the test, before the sinks are stopped (latest first). */
  onCleanup(cleanup: () => Promise<void>): void;
}

/** One Mosquitto for a test file; the sinks, subscribers and cleanups of each test go after it. */
export function useBrokerFixture(prefix: string): BrokerFixture {
  let dir: TempDir | undefined;
  let broker: Mosquitto | undefined;
  const harness = new SinkHarness();
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    dir = await createTempDir(prefix);
    broker = await Mosquitto.create(dir.path);
  });
  afterAll(async () => {
    await broker?.stop();
    await dir?.remove();
  });
  afterEach(async () => {
    await harness.cleanup();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const fixture: BrokerFixture = {
    get broker(): Mosquitto {
      if (!broker) throw new Error('the broker runs only while the file’s tests do');
      return broker;
    },
    harness,
    async listen(filter) {
      const subscriber = await subscribe(fixture.broker.url, filter);
      cleanups.push(() => subscriber.close());
      return subscriber;
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
  };
  return fixture;
}
