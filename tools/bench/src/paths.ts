import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is tools/bench/{src,dist}/paths.*). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared test material (captures, bench-capture builder): `NETIFYD_SHARED`, else `../shared`. */
export function sharedDir(): string {
  return process.env.NETIFYD_SHARED ?? resolve(repoRoot, '../shared');
}

/** Where built bench inputs are kept between runs (gitignored). */
export function cacheDir(): string {
  return process.env.NETIFYD_BENCH_CACHE ?? resolve(repoRoot, 'tools/bench/.cache');
}
