import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The reference captures: `NETIFYD_CORPUS`, else `../shared/pcap` next to the repository. */
export const corpusDir = process.env.NETIFYD_CORPUS ?? resolve(repoRoot, '../shared/pcap');
export const capturesDir = resolve(corpusDir, 'captures');
export const expectedDir = resolve(corpusDir, 'expected-ndpi42');

export const corpusAvailable = existsSync(capturesDir) && existsSync(expectedDir);
if (!corpusAvailable) {
  console.log(`skipping corpus tests: ${capturesDir} or ${expectedDir} not found (set NETIFYD_CORPUS)`);
}
