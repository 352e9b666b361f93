// Runs every capture of the corpus through the engine (the agent's options: DNS flow reuse on,
// as with the hint cache; then ndpiReader mode) and prints one line per capture; used by scripts/asan-test.sh.
// usage: node scripts/run-corpus.mjs [CAPTURES_DIR]   (default: $NETIFYD_CORPUS/captures)
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../dist/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = process.argv[2] ?? join(resolve(repoRoot, process.env.NETIFYD_CORPUS ?? '../shared/pcap'), 'captures');
const captures = readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap)$/.test(f)).sort();
let flows = 0;
for (const name of captures) {
  for (const options of [{ updateIntervalMs: 5000, dnsFlowReuse: true }, { ndpiReaderLimits: true }]) {
    const engine = new Engine(options);
    let expires = 0;
    engine.addFileSource({ name, path: join(dir, name) });
    engine.start((records) => {
      for (const r of records) if (r.kind === 'expire') expires++;
    });
    await engine.whenDone();
    await engine.close();
    flows += expires;
  }
  process.stdout.write(`${name} ok\n`);
}
console.log(`${captures.length} captures, ${flows} flows, no sanitizer report`);
