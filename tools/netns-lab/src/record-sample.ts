#!/usr/bin/env node
/**
 * Records the project's own captures from traffic it generates in a namespace lab.
 * Usage: node tools/netns-lab/dist/record-sample.js --out captures/sample-lab.pcap
 *        [--scenario sample|dns-cname] [--quiet]
 * Exit 0 written, 1 recording failed, 2 bad arguments or a lab cannot be built here.
 */
import { copyFile, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestCertificate, type TestCertificate } from './certificate.js';
import { runDnsCnameScenario, startDnsCnameServers } from './dns-cname-scenario.js';
import { withLab, type Lab } from './lab.js';
import { startCapture } from './packet-capture.js';
import { canCreateNetns, commandAvailable } from './preflight.js';
import { SAMPLE_HOSTNAMES, runSampleScenario, startSampleServers, type ScenarioStep } from './sample-scenario.js';

const USAGE = 'usage: record-sample --out FILE.pcap [--scenario sample|dns-cname] [--quiet]';

interface Scenario {
  /** Names of the HTTPS certificate the servers need; none: no certificate, no openssl. */
  hostnames: readonly string[];
  start(lab: Lab, certificate: TestCertificate | undefined): Promise<unknown>;
  run(lab: Lab, certificate: TestCertificate | undefined, onStep: (step: ScenarioStep) => void): Promise<unknown>;
}

const SCENARIOS: Record<string, Scenario> = {
  sample: {
    hostnames: SAMPLE_HOSTNAMES,
    start: (lab, certificate) => startSampleServers(lab, certificate!),
    run: (lab, certificate, onStep) => runSampleScenario(lab, certificate!, onStep),
  },
  'dns-cname': {
    hostnames: [],
    start: (lab) => startDnsCnameServers(lab),
    run: (lab, _certificate, onStep) => runDnsCnameScenario(lab, onStep),
  },
};
// Lets the last FIN/ACKs reach tcpdump before it is stopped.
const DRAIN_MS = 200;

async function main(): Promise<number> {
  let values: { out?: string; scenario?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, scenario: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
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
  const scenarioName = values.scenario ?? 'sample';
  const scenario = Object.hasOwn(SCENARIOS, scenarioName) ? SCENARIOS[scenarioName] : undefined;
  if (!scenario) return usageError(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')} (got ${JSON.stringify(scenarioName)})`);
  const out = resolve(values.out);
  try {
    if (!(await stat(dirname(out))).isDirectory()) throw new Error('not a directory');
  } catch {
    return usageError(`--out ${values.out}: directory ${dirname(out)} does not exist`);
  }
  const preflight = await canCreateNetns();
  if (!preflight.ok) return usageError(`cannot build a lab here: ${preflight.reason}`);
  const tools = scenario.hostnames.length > 0 ? ([['tcpdump', '--version'], ['openssl', 'version']] as const) : ([['tcpdump', '--version']] as const);
  for (const [tool, flag] of tools) {
    if (!(await commandAvailable(tool, flag))) return usageError(`${tool} is not installed`);
  }

  const log = (line: string): void => {
    if (!values.quiet) process.stderr.write(`${line}\n`);
  };
  const workDir = await mkdtemp(join(tmpdir(), 'netns-lab-record-'));
  const certificate = scenario.hostnames.length > 0 ? await createTestCertificate([...scenario.hostnames]) : undefined;
  try {
    const rawPath = join(workDir, 'capture.pcap');
    const packets = await withLab({}, async (lab) => {
      await scenario.start(lab, certificate);
      const capture = await startCapture(lab, lab.nsA, { interfaceName: lab.ifA, outPath: rawPath });
      log(`capturing on ${lab.nsA}/${lab.ifA}`);
      await scenario.run(lab, certificate, (step) => log(`  ${step.description}: ${step.outcome}`));
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
    await certificate?.remove();
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
