import { describe, expect, it } from 'vitest';
import { parseStat, readThreadTimes } from '../src/pipeline/thread-times.js';

describe('per-thread CPU times from /proc', () => {
  it('reads utime + stime of a stat line whose name holds spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const line = '4242 (dpi (det) 0) S 1 4242 4242 0 -1 4194560 120 0 0 0 250 37 0 0 20 0 9 0 100 0 0';
    expect(parseStat(line)).toEqual({ name: 'dpi (det) 0', cpuS: 2.87 });
  });

  it('finds this process’s main thread, which has burnt CPU, and a process total at least as large', () => {
    const until = Date.now() + 150;
    let spins = 0;
    while (Date.now() < until) spins++;
    const report = readThreadTimes();
    const main = report.threads.find((thread) => thread.tid === report.pid);
    expect(spins).toBeGreaterThan(0);
    expect(main?.cpuS).toBeGreaterThan(0.05);
    expect(report.processCpuS).toBeGreaterThanOrEqual(report.threads.reduce((sum, t) => sum + t.cpuS, 0) - 0.02);
  });
});
