// Where the shared capture corpus is: NETIFYD_CORPUS, else ../shared/pcap, both relative
// to the repository root. Suites skip (and say why) when it is missing.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = resolve(packageDir, '../..');
export const corpusDir = resolve(repoRoot, process.env.NETIFYD_CORPUS ?? '../shared/pcap');
export const capturesDir = join(corpusDir, 'captures');
export const expectedDir = join(corpusDir, 'expected-ndpi42');

export const corpusAvailable = existsSync(capturesDir) && existsSync(expectedDir);
if (!corpusAvailable) {
  console.warn(`native-dpi: corpus suites skipped: no captures at ${capturesDir} (set NETIFYD_CORPUS)`);
}

export function corpusCaptures(): string[] {
  return corpusAvailable ? readdirSync(capturesDir).filter((f) => /\.(pcap|pcapng|cap)$/.test(f)).sort() : [];
}

export function capturePath(name: string): string {
  return join(capturesDir, name);
}
