// Ensures createTestContext gives a plugin a real context: state dirs that exist and are
// removed by cleanup(), a logger that records by level, identity, sinks, greetings and
// netifyd.conf sections.
import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_AGENT, createTempDir, createTestContext, jsonPayload } from '../src/testing/index.js';
import type { TempDir, TestContext } from '../src/testing/index.js';

const made: TestContext[] = [];
const temps: TempDir[] = [];
afterEach(async () => {
  for (const context of made.splice(0)) await context.cleanup();
  for (const temp of temps.splice(0)) await temp.remove();
});

function context(...args: Parameters<typeof createTestContext>): TestContext {
  const created = createTestContext(...args);
  made.push(created);
  return created;
}

describe('createTestContext', () => {
  it('creates two distinct state dirs and removes them at cleanup (twice is fine)', async () => {
    const tc = context({ name: 'sink-x' });
    expect(tc.paths.persistent).not.toBe(tc.paths.volatile);
    for (const path of [tc.paths.persistent, tc.paths.volatile]) expect(statSync(path).isDirectory()).toBe(true);
    await tc.cleanup();
    await tc.cleanup();
    expect(existsSync(tc.paths.persistent) || existsSync(tc.paths.volatile)).toBe(false);
  });

  it('uses given state paths as they are and leaves them at cleanup', async () => {
    const temp = await createTempDir('sdk-context');
    temps.push(temp);
    const tc = context({ paths: { persistent: temp.path, volatile: temp.path } });
    expect(tc.paths).toEqual({ persistent: temp.path, volatile: temp.path });
    await tc.cleanup();
    expect(existsSync(temp.path)).toBe(true);
  });

  it('records log lines by level, in order', () => {
    const tc = context();
    tc.log.info('one');
    tc.log.warn('two');
    tc.log.error('three');
    tc.log.debug('four');
    expect(tc.lines).toEqual([
      { level: 'info', message: 'one' },
      { level: 'warn', message: 'two' },
      { level: 'error', message: 'three' },
      { level: 'debug', message: 'four' },
    ]);
    expect(tc.messages('warn')).toEqual(['two']);
    expect(tc.messages()).toEqual(['one', 'two', 'three', 'four']);
    expect(tc.text()).toBe('info: one\nwarn: two\nerror: three\ndebug: four');
  });

  it('reports the test agent identity, with overrides', () => {
    expect(context().agent).toEqual(TEST_AGENT);
    expect(context({ agent: { uuid: 'AA-BB-CC-DD' } }).agent).toEqual({ ...TEST_AGENT, uuid: 'AA-BB-CC-DD' });
    expect(context({ name: 'sink-y', configFile: '/etc/netifyd/y.json' })).toMatchObject({ name: 'sink-y', configFile: '/etc/netifyd/y.json' });
  });

  it('answers greetings and agentConfig sections as given', () => {
    expect(context().greetings('flows')).toEqual([]);
    const hello = jsonPayload('agent_hello', { type: 'agent_hello' });
    const tc = context({ greetings: (channel) => (channel === 'flows' ? [hello] : []), agentConfig: { socket: { listen_path: '/tmp/x.sock' } } });
    expect(tc.greetings('flows')).toEqual([hello]);
    expect(tc.greetings('other')).toEqual([]);
    expect(tc.agentConfig('socket')).toEqual({ listen_path: '/tmp/x.sock' });
    expect(tc.agentConfig('netifyd')).toBeUndefined();
  });

  it('lists given sinks; a sink that throws is a refusal, as the agent isolates it', () => {
    const got: string[] = [];
    const tc = context({
      sinks: {
        'sink-a': { channels: () => ['flows'], dispatch: (channel) => (got.push(channel), true) },
        'sink-b': {
          channels: () => ['flows'],
          dispatch: () => {
            throw new Error('broken');
          },
        },
      },
    });
    expect(tc.sinks.names()).toEqual(['sink-a', 'sink-b']);
    const payload = jsonPayload('flow', { type: 'flow' });
    expect(tc.sinks.get('sink-a')?.dispatch('flows', payload)).toBe(true);
    expect(tc.sinks.get('sink-a')?.name).toBe('sink-a');
    expect(tc.sinks.get('sink-b')?.dispatch('flows', payload)).toBe(false);
    expect(tc.sinks.get('toString')).toBeUndefined();
    expect(got).toEqual(['flows']);
  });
});
