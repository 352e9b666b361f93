#!/usr/bin/env node
/**
 * Records the project's own sample capture from traffic it generates in a namespace lab.
 * Usage: node tools/netns-lab/dist/record-sample.js --out captures/sample-lab.pcap [--quiet]
 * Exit 0 written, 1 recording failed, 2 bad arguments or a lab cannot be built here.
 */
import { copyFile, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestCertificate } from './certificate.js';
import { withLab } from './lab.js';
import { startCapture } from './packet-capture.js';
import { canCreateNetns, commandAvailable } from './preflight.js';
import { SAMPLE_HOSTNAMES, runSampleScenario, startSampleServers } from './sample-scenario.js';

const USAGE = 'usage: record-sample --out FILE.pcap [--quiet]';
// Lets the last FIN/ACKs reach tcpdump before it is stopped.
const DRAIN_MS = 200;

async function main(): Promise<number> {
  let values: { out?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.out || !values.out.endsWith('.pcap')) return usageError(`--out must name a .pcap file (got ${JSON.stringify(values.out ?? '')})`);
  const out = resolve(values.out);
  try {
    if (!(await stat(dirname(out))).isDirectory()) throw new Error('not a directory');
  } catch {
    return usageError(`--out ${values.out}: directory ${dirname(out)} does not exist`);
  }
  const preflight = await canCreateNetns();
  if (!preflight.ok) return usageError(`cannot build a lab here: ${preflight.reason}`);
  for (const [tool, flag] of [['tcpdump', '--version'], ['openssl', 'version']] as const) {
    if (!(await commandAvailable(tool, flag))) return usageError(`${tool} is not installed`);
  }

  const log = (line: string): void => {
    if (!values.quiet) process.stderr.write(`${line}\n`);
  };
  const workDir = await mkdtemp(join(tmpdir(), 'netns-lab-record-'));
  const certificate = await createTestCertificate([...SAMPLE_HOSTNAMES]);
  try {
    const rawPath = join(workDir, 'capture.pcap');
    const packets = await withLab({}, async (lab) => {
      await startSampleServers(lab, certificate);
      const capture = await startCapture(lab, lab.nsA, { interfaceName: lab.ifA, outPath: rawPath });
      log(`capturing on ${lab.nsA}/${lab.ifA}`);
      await runSampleScenario(lab, certificate, (step) => log(`  ${step.description}: ${step.outcome}`));
      await new Promise((done) => setTimeout(done, DRAIN_MS));
      return (await capture.stop()).packetsCaptured;
    });
    // Copy beside the target, then rename: readers never see a half-written capture.
    const partial = `${out}.partial-${process.pid}`;
    await copyFile(rawPath, partial);
    await rename(partial, out);
    const { size } = await stat(out);
    log(`wrote ${values.out}: ${packets} packets, ${size} bytes`);
    return 0;
  } finally {
    await certificate.remove();
    await rm(workDir, { recursive: true, force: true });
  }
}

function usageError(message: string): number {
  process.stderr.write(`record-sample: ${message}\n${USAGE}\n`);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const err = error as { code?: string; message?: string };
    process.stderr.write(`record-sample: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
