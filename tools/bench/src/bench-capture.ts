import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchError } from './errors.js';
import { countPcapPackets } from './pcap-count.js';

export const BENCH_PACKETS = 1_200_000;

export interface BenchCapture {
  path: string;
  packets: number;
  bytes: number;
  /** True when this call built it (false: taken from the cache). */
  built: boolean;
}

export interface BenchCaptureOptions {
  sharedDir: string;
  cacheDir: string;
  /** Passed to the builder; the default is the benchmark's 1.2 M packets. */
  targetPackets?: number;
}

function runBuilder(tool: string, captures: string, out: string, target: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('python3', [tool, captures, out, String(target)], { timeout: 600_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const detail = stderr.trim().split('\n').pop() || error.message;
      reject(new BenchError('ERR_BENCH_BUILD', `building ${out} with ${tool} failed: ${detail}`, { cause: error }));
    });
  });
}

/**
 * The benchmark capture `<cacheDir>/bench.pcap`, built once from `<sharedDir>/pcap/captures` with
 * `<sharedDir>/tools/make-bench-pcap` (python3) and reused while it exists.
 */
export async function ensureBenchCapture(options: BenchCaptureOptions): Promise<BenchCapture> {
  const path = join(options.cacheDir, 'bench.pcap');
  let built = false;
  if (!existsSync(path)) {
    const tool = join(options.sharedDir, 'tools/make-bench-pcap');
    const captures = join(options.sharedDir, 'pcap/captures');
    for (const [what, needed] of [['builder', tool], ['captures directory', captures]] as const) {
      if (!existsSync(needed)) throw new BenchError('ERR_BENCH_SHARED', `bench capture ${what} ${needed} not found (set NETIFYD_SHARED)`);
    }
    await mkdir(options.cacheDir, { recursive: true });
    const partial = `${path}.partial`;
    try {
      await runBuilder(tool, captures, partial, options.targetPackets ?? BENCH_PACKETS);
      await rename(partial, path);
    } finally {
      await rm(partial, { force: true });
    }
    built = true;
  }
  return { path, packets: await countPcapPackets(path), bytes: (await stat(path)).size, built };
}
