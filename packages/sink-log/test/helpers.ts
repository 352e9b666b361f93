import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import factory from '../src/index.js';
import type { Sink } from '@netifyd/plugin-sdk';
import { createTempDir, createTestContext, type TempDir, type TestContext } from '@netifyd/plugin-sdk/testing';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms for at most `timeoutMs`; fails the test on timeout. */
export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) expect.fail(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export interface StartedSink {
  readonly sink: Sink;
  readonly context: TestContext;
}

/** Creates the plugin through its factory, as the agent does, and runs init + start. */
export async function startSink(config: unknown, stateDirectory: string, agentConfig?: Record<string, Record<string, string>>): Promise<StartedSink> {
  const context = createTestContext({
    name: 'sink-log',
    configFile: 'netify-sink-log.json',
    paths: { persistent: stateDirectory, volatile: stateDirectory },
    agentConfig,
  });
  const sink = factory.create(context);
  await sink.init(config);
  await sink.start();
  return { sink, context };
}

/** Names of visible (non-hidden) files, sorted. */
export async function visibleFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => !name.startsWith('.')).sort();
}

export async function hiddenFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.startsWith('.'));
}

/** Every line of a JSON-lines text parsed; throws on any line that is not JSON. */
export function parseJsonLines(text: string): Record<string, unknown>[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  return parseJsonLines(await readFile(path, 'utf8'));
}

export function sequenceOf(message: Record<string, unknown>): number {
  return (message.flow as { sequence: number }).sequence;
}

export { join };

/** A test's temp dir and the sink it started; both go after each test. */
export interface SinkTestState {
  /** The test's own temp dir. */
  readonly dir: string;
  started: StartedSink | undefined;
}

/** Gives each test a fresh temp dir; after it, the sink the test started is stopped and the dir removed. */
export function useSinkTestState(prefix: string): SinkTestState {
  let temp: TempDir | undefined;
  const state = {
    get dir(): string {
      if (!temp) throw new Error('the temp dir exists only while a test runs');
      return temp.path;
    },
    started: undefined as StartedSink | undefined,
  };
  beforeEach(async () => {
    temp = await createTempDir(prefix);
  });
  afterEach(async () => {
    await state.started?.sink.stop();
    state.started = undefined;
    await temp?.remove();
    temp = undefined;
  });
  return state;
}
