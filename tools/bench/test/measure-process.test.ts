import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMeasured } from '../src/measure-process.js';
import { capturesDir, sharedAvailable } from './corpus.js';

describe('measuring a process with GNU time', () => {
  it('reports exit status, output and a peak RSS for a command that fails', async () => {
    const run = await runMeasured('sh', ['-c', 'echo out; echo err >&2; exit 3'], 10_000);
    expect(run).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(Number.isInteger(run.maxRssKb) && run.maxRssKb > 0).toBe(true);
  });

  it('sees a larger peak RSS for a process that touches 64 MB than for one that does not', async () => {
    const small = await runMeasured(process.execPath, ['-e', '0'], 30_000);
    const large = await runMeasured(process.execPath, ['-e', 'Buffer.alloc(64 * 1024 * 1024, 1)'], 30_000);
    expect(large.maxRssKb - small.maxRssKb).toBeGreaterThan(60 * 1024);
  });

  it('reports the CPU seconds (user + system) of a command that keeps a core busy, and passes its environment', async () => {
    const busy = 'const until = Date.now() + 400; while (Date.now() < until); process.stdout.write(process.env.BENCH_PROBE ?? "")';
    const run = await runMeasured(process.execPath, ['-e', busy], 30_000, { BENCH_PROBE: 'seen' });
    expect(run.stdout).toBe('seen');
    expect(run.userS + run.sysS).toBeGreaterThan(0.25);
    expect(run.userS + run.sysS).toBeLessThan(run.wallMs / 1000 + 0.5);
  });

  it('unsets a variable of this environment that is given as undefined', async () => {
    process.env.BENCH_INHERITED = 'inherited';
    try {
      const probe = 'process.stdout.write(String(process.env.BENCH_INHERITED))';
      expect((await runMeasured(process.execPath, ['-e', probe], 30_000)).stdout).toBe('inherited');
      expect((await runMeasured(process.execPath, ['-e', probe], 30_000, { BENCH_INHERITED: undefined })).stdout).toBe('undefined');
    } finally {
      delete process.env.BENCH_INHERITED;
    }
  });

  it('names a command that cannot be started', async () => {
    const run = await runMeasured('/nonexistent/command', [], 10_000);
    expect(run.exitCode).toBe(127);
    expect(run.stderr).toContain('/nonexistent/command');
  });

  it.skipIf(!sharedAvailable)('runs ndpiReader -q -i quietly over a capture', async () => {
    const run = await runMeasured('ndpiReader', ['-q', '-i', join(capturesDir, '443-git.pcap')], 30_000);
    expect(run).toMatchObject({ exitCode: 0, stdout: '' });
    expect(run.maxRssKb).toBeGreaterThan(1000);
  });
});
