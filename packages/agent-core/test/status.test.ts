// Ensures agent_status is built in byte order (proc-core writes it natively) and that a
// capture file's ticks, thousands a second, reuse the process figures of one sample.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROCESS_SAMPLE_MS, StatusReporter } from '../src/status.js';
import { expectKeysInByteOrder } from './flow/key-order.js';

const counters = {
  'sink-log': { type: 'sink' as const, sent: 3, queued: 0, events: 0, plugin_errors: 0 },
  'proc-core': { type: 'processor' as const, messages: 2, events: 5, plugin_errors: 0 },
};
const plugins = () => counters;

/** Spends at least `ms` of this process's user CPU time (bounded by one second of wall time). */
function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  const deadline = Date.now() + 1000;
  while (process.cpuUsage(start).user < ms * 1000 && Date.now() < deadline) Math.sqrt(Math.random());
}

describe('agent status', () => {
  afterEach(() => vi.useRealTimers());

  it('writes every key in byte order, the plugins counters too, and carries figures to *_prev', () => {
    const reporter = new StatusReporter(15);
    const flows = { flowCount: 4, flowsActive: 2, flowsExpired: 1, flowsPurged: 1 };
    const first = reporter.build({ plugins, flows, dhc: { size: 7 }, signatures: { apps: 1, domains: 2 } });
    expectKeysInByteOrder(first);
    expect(Object.keys(first.plugins ?? {})).toEqual(['proc-core', 'sink-log']);
    expect(first).toMatchObject({
      type: 'agent_status',
      update_interval: 15,
      flow_count: 4,
      flow_count_prev: 0,
      flows_active: 2,
      dhc_status: true,
      dhc_size: 7,
      signatures: { apps: 1, domains: 2 },
      plugins: { 'sink-log': { type: 'sink', sent: 3 } },
    });
    expect(first.cpu_user).toBeGreaterThan(0);
    expect(first.memrss_kb).toBeGreaterThan(0);
    expect(first.tcm_kb).toBeGreaterThan(0);
    const second = reporter.build({ plugins: () => ({}), fresh: true });
    expectKeysInByteOrder(second);
    expect(second).not.toHaveProperty('plugins');
    expect(second).not.toHaveProperty('dhc_size');
    expect(second).toMatchObject({ dhc_status: false, flow_count: 0, flow_count_prev: 4 });
    expect(second.cpu_user_prev).toBe(first.cpu_user);
    expect(second.memrss_kb_prev).toBe(first.memrss_kb);
  });

  it(`samples the process and the plugins at most every ${PROCESS_SAMPLE_MS} ms of wall time, and always when asked for fresh figures`, () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const reporter = new StatusReporter(15);
    let sent = 0;
    const counting = () => ({ 'sink-log': { type: 'sink' as const, sent: ++sent } });
    const first = reporter.build({ plugins: counting });
    burnCpu(10);
    const within = reporter.build({ plugins: counting });
    expect(within.cpu_user).toBe(first.cpu_user);
    expect(within.cpu_user_prev).toBe(first.cpu_user);
    expect(within.plugins).toEqual({ 'sink-log': { sent: 1, type: 'sink' } });
    vi.advanceTimersByTime(PROCESS_SAMPLE_MS);
    const after = reporter.build({ plugins: counting });
    expect(after.cpu_user).toBeGreaterThan(first.cpu_user);
    expect(after.plugins).toEqual({ 'sink-log': { sent: 2, type: 'sink' } });
    burnCpu(10);
    const final = reporter.build({ plugins: counting, fresh: true });
    expect(final.cpu_user).toBeGreaterThan(after.cpu_user);
    expect(final.plugins).toEqual({ 'sink-log': { sent: 3, type: 'sink' } });
  });
});
