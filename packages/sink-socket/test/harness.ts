import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach } from 'vitest';
import type { Payload } from '@netifyd/plugin-sdk';
import { createTempDir, createTestContext, jsonPayload, type TempDir, type TestContext } from '@netifyd/plugin-sdk/testing';
import factory from '../src/index.js';
import type { SocketSink } from '../src/socket-sink.js';

export const hello = { type: 'agent_hello', agent_version: '0.1.0', build_version: 'netifyd-ts/0.1.0 (test)', json_version: 1.9 } as const;
export const status = { type: 'agent_status', flow_count: 0 } as const;

export interface StartedSocketSink {
  readonly sink: SocketSink;
  readonly context: TestContext;
  readonly greetingCalls: string[];
}

export interface StartOptions {
  readonly greetings?: (channel: string) => Payload[];
  readonly agentConfig?: Record<string, Record<string, string>>;
}

/** Creates the plugin through its factory, as the agent does, then init + start. */
export async function startSocketSink(config: unknown, stateDirectory: string, options: StartOptions = {}): Promise<StartedSocketSink> {
  const greetingCalls: string[] = [];
  const greetings = options.greetings ?? (() => [jsonPayload('agent_hello', hello), jsonPayload('agent_status', status)]);
  const context = createTestContext({
    name: 'sink-socket',
    paths: { persistent: stateDirectory, volatile: stateDirectory },
    configFile: 'netify-sink-socket.json',
    agentConfig: options.agentConfig,
    greetings: (channel) => {
      greetingCalls.push(channel);
      return greetings(channel);
    },
  });
  const sink = factory.create(context) as SocketSink;
  await sink.init(config);
  try {
    await sink.start();
  } catch (error) {
    await sink.stop();
    throw error;
  }
  return { sink, context, greetingCalls };
}

export async function sampleConfig(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL('../etc/netify-sink-socket.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A test's temp dir and the sink it started; both go after each test. */
export interface SinkTestState {
  /** The test's own temp dir (socket files, state paths). */
  readonly dir: string;
  started: StartedSocketSink | undefined;
}

/**
 * Gives each test a fresh temp dir; after it, `closeClients` runs, then the sink the test
 * started is stopped and the dir removed.
 */
export function useSinkTestState(prefix: string, closeClients: () => void = () => undefined): SinkTestState {
  let temp: TempDir | undefined;
  const state = {
    get dir(): string {
      if (!temp) throw new Error('the temp dir exists only while a test runs');
      return temp.path;
    },
    started: undefined as StartedSocketSink | undefined,
  };
  beforeEach(async () => {
    temp = await createTempDir(prefix);
  });
  afterEach(async () => {
    closeClients();
    await state.started?.sink.stop();
    state.started = undefined;
    await temp?.remove();
    temp = undefined;
  });
  return state;
}
