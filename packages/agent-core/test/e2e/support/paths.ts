import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
/** The built agent CLI these tests run as a real process. */
export const CLI = join(REPO, 'packages/agent-core/dist/cli.js');
/** The project's own capture (tools/netns-lab record-sample); always present. */
export const SAMPLE_LAB = join(REPO, 'captures/sample-lab.pcap');

/** Netify's v5 telemetry schemas, beside the repository. */
export const SCHEMA_DIR = join(process.env.NETIFYD_DESIGN ?? resolve(REPO, '../shared/design'), 'netify-v5-schemas');
export const haveSchemas = existsSync(join(SCHEMA_DIR, 'netify-telemetry-flow.json'));

/** The public capture corpus and ndpiReader 4.2's output for each capture. */
export const CORPUS = resolve(REPO, process.env.NETIFYD_CORPUS ?? '../shared/pcap');
export const CORPUS_CAPTURES = join(CORPUS, 'captures');
export const CORPUS_EXPECTED = join(CORPUS, 'expected-ndpi42');
export const haveCorpus = existsSync(CORPUS_CAPTURES);
