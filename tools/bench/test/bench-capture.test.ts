import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBenchCapture } from '../src/bench-capture.js';
import { shared, sharedAvailable } from './corpus.js';

const scratch = mkdtempSync(join(tmpdir(), 'bench-capture-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!sharedAvailable)('bench capture cache', () => {
  it('builds the capture with the shared builder once, then reuses it', async () => {
    const cacheDir = join(scratch, 'cache');
    const first = await ensureBenchCapture({ sharedDir: shared, cacheDir, targetPackets: 5000 });
    expect(first).toMatchObject({ path: join(cacheDir, 'bench.pcap'), packets: 5000, built: true });
    expect(first.bytes).toBe(statSync(first.path).size);
    const modified = statSync(first.path).mtimeMs;
    const second = await ensureBenchCapture({ sharedDir: shared, cacheDir, targetPackets: 5000 });
    expect(second).toEqual({ ...first, built: false });
    expect(statSync(second.path).mtimeMs).toBe(modified);
  });
});

describe('bench capture errors', () => {
  it('names the missing builder and the environment variable to set', async () => {
    const missing = join(scratch, 'no-shared');
    await expect(ensureBenchCapture({ sharedDir: missing, cacheDir: join(scratch, 'c2') })).rejects.toMatchObject({
      code: 'ERR_BENCH_SHARED',
      message: `bench capture builder ${join(missing, 'tools/make-bench-pcap')} not found (set NETIFYD_SHARED)`,
    });
  });
});
