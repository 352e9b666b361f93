import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../src/paths.js';

/** The shared material (`NETIFYD_SHARED`, default ../shared); tests needing it skip with a reason. */
export const shared = sharedDir();
export const capturesDir = join(shared, 'pcap/captures');
export const manifest = join(shared, 'pcap/MANIFEST.tsv');
export const sharedAvailable = existsSync(capturesDir) && existsSync(manifest) && existsSync(join(shared, 'tools/make-bench-pcap'));
if (!sharedAvailable) console.log(`skipping tests on shared captures: ${shared} lacks pcap/captures, pcap/MANIFEST.tsv or tools/make-bench-pcap (set NETIFYD_SHARED)`);
