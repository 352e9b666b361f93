// Application lookup speed: definitions with 10 000 domain entries and 5 000 networks, and a
// flow mix of names found, names not found and nameless flows looked up by address. Prints
// the median (and p10/p90) time per flow over batches; asserts nothing.
import type { AgentCoreApps, Definitions, DetectorState, FlowRecordLike } from './agent-core-apps.js';

const APPS = 1000;
const DOMAINS = 10_000;
const NETWORKS = 5_000;
const FLOWS = 10_000;
const BATCH = 1_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run benches the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BenchData {
  readonly text: string;
  readonly domains: string[];
  readonly v4: Array<[number, number]>;
}

/** A definitions file: 1 000 apps, 10 000 domains of 2–4 labels, 4 000 IPv4 and 1 000 IPv6 networks. */
function definitionsText(transforms: number): BenchData {
  const next = random(7);
  const lines: string[] = [];
  const domains: string[] = [];
  const v4: Array<[number, number]> = [];
  for (let app = 0; app < APPS; app++) lines.push(`app:${20000 + app}:bench.app-${app}`);
  const tlds = ['com', 'net', 'org', 'io', 'co.uk', 'de'];
  for (let i = 0; i < DOMAINS; i++) {
    const labels = [`svc${i}`];
    if (i % 3 !== 0) labels.push(`zone${Math.floor(next() * 500)}`);
    const domain = `${labels.join('.')}.${tlds[i % tlds.length]}`;
    domains.push(domain);
    lines.push(`dom:${20000 + (i % APPS)}:${domain}`);
  }
  const networks = new Set<string>();
  while (networks.size < NETWORKS) {
    const app = 20000 + Math.floor(next() * APPS);
    let network: string;
    if (networks.size < 4000) {
      const length = 16 + Math.floor(next() * 13);
      const base = ((Math.floor(next() * 0xdfffffff) >>> (32 - length)) << (32 - length)) >>> 0;
      network = `${[24, 16, 8, 0].map((shift) => (base >>> shift) & 255).join('.')}/${length}`;
      if (!networks.has(network)) v4.push([base, length]);
    } else {
      const groups = [0x2001, 0x0db8, Math.floor(next() * 65536), Math.floor(next() * 65536)].map((group) => group.toString(16));
      network = `${groups.join(':')}::/64`;
    }
    if (networks.has(network)) continue;
    networks.add(network);
    lines.push(`net:${app}:${network}`);
  }
  for (let i = 0; i < transforms; i++) lines.push(`xfm:^edge-[0-9]+\\.cdn${i}\\.bench$:svc${i}.com`);
  return { text: lines.join('\n'), domains, v4 };
}

interface BenchFlow {
  readonly host: string;
  readonly first: Uint8Array;
  readonly second: Uint8Array;
  readonly record: FlowRecordLike;
}

/** 40 % names under a listed domain (2–3 extra labels), 30 % unlisted names, 30 % nameless. */
function benchFlows(data: BenchData, core: AgentCoreApps): BenchFlow[] {
  const next = random(11);
  const flows: BenchFlow[] = [];
  const client = core.parseIp('192.168.1.20')!;
  for (let i = 0; i < FLOWS; i++) {
    const roll = next();
    let host = '';
    if (roll < 0.4) host = `${next() < 0.5 ? 'www.' : 'a1.edge.'}${data.domains[Math.floor(next() * data.domains.length)]}`;
    else if (roll < 0.7) host = `host${i}.cdn${Math.floor(next() * 1000)}.unlisted-example.org`;
    const [base, length] = data.v4[Math.floor(next() * data.v4.length)]!;
    const address = next() < 0.5 ? (base + Math.floor(next() * 2 ** (32 - length))) >>> 0 : Math.floor(next() * 0xdfffffff);
    const text = [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
    const server = core.parseIp(text)!;
    const record: FlowRecordLike = { kind: 'new', lowerIp: '192.168.1.20', upperIp: text, lastSeenMs: 1_000 + i, hostName: host, ndpiApp: 0, ndpiMaster: 0 };
    flows.push({ host, first: server, second: client, record });
  }
  return flows;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** ns per flow of `perFlow` over `rounds` batches (after a warm-up): median, p10, p90. */
function measure(flows: readonly BenchFlow[], rounds: number, perFlow: (flow: BenchFlow) => unknown): { median: number; p10: number; p90: number } {
  const samples: number[] = [];
  let sink = 0;
  for (let round = -Math.max(100, Math.ceil(rounds / 5)); round < rounds; round++) {
    const start = ((round + rounds) * BATCH) % FLOWS;
    const began = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) if (perFlow(flows[start + i]!) !== undefined) sink++;
    const elapsed = Number(process.hrtime.bigint() - began);
    if (round >= 0) samples.push(elapsed / BATCH);
  }
  if (sink < 0) console.log(sink);
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 0.5), p10: percentile(samples, 0.1), p90: percentile(samples, 0.9) };
}

/** The definitions part of a flow's lookup in netifyd order: host name, then both addresses. */
function definitionsLookup(definitions: Definitions, flow: BenchFlow) {
  return (flow.host !== '' ? definitions.findHost(flow.host) : undefined) ?? definitions.findAddress(flow.first) ?? definitions.findAddress(flow.second);
}

export interface LookupBenchResult {
  readonly lines: string[];
}

export function runLookupBench(core: AgentCoreApps, rounds: number): LookupBenchResult {
  const lines: string[] = [];
  for (const transforms of [0, 3]) {
    const data = definitionsText(transforms);
    const definitions = new core.AppDefinitions(core.parseDefinitions(data.text, 'bench.conf'));
    if (definitions.issues.length > 0) throw new Error(`bench definitions rejected ${definitions.issues.length} lines`);
    const flows = benchFlows(data, core);
    const found = flows.filter((flow) => definitionsLookup(definitions, flow) !== undefined).length;
    const { apps, domains, networks } = definitions.counts;
    lines.push(`definitions: ${apps} apps, ${domains} domains, ${networks} networks, ${transforms} transforms; ${FLOWS} flows (40% listed names, 30% unlisted, 30% nameless), ${found} get an application`);
    const lookup = measure(flows, rounds, (flow) => definitionsLookup(definitions, flow));
    lines.push(`  definitions lookup per flow (host, then networks)   median ${lookup.median.toFixed(0)} ns   p10 ${lookup.p10.toFixed(0)} ns   p90 ${lookup.p90.toFixed(0)} ns`);
    const hints = new core.DnsHintCache({ ttlS: 1800, maxEntries: 100_000 });
    flows.forEach((flow, i) => {
      if (i % 2 === 0) hints.learn(`hint${i}.svc${i % DOMAINS}.com`, flow.first, 0);
    });
    const detector = new core.ApplicationDetector(new core.AppRules({ definitions, categories: core.readCategories(core.PACKAGED_CATEGORIES_FILE), domainCategories: undefined }), hints);
    const detect = measure(flows, rounds, (flow) => {
      const state: DetectorState = { protocol: 196, application: undefined, apps: detector.begin(flow.second, flow.first, false, true) };
      detector.classify(state, flow.record);
      return state.application;
    });
    lines.push(`  full first classification per flow (+ hint cache, categories)   median ${detect.median.toFixed(0)} ns   p10 ${detect.p10.toFixed(0)} ns   p90 ${detect.p90.toFixed(0)} ns`);
  }
  return { lines };
}
