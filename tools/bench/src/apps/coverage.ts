// Coverage of application detection on the public captures: every capture through the real
// engine and the flow model, once with the nDPI-service table only and once with the
// packaged definitions, categories and the DNS hint cache; per protocol family, how many
// flows end with an application, and the 20 most frequent applications.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '@netifyd/native-dpi';
import type { AgentCoreApps, FlowEventLike } from './agent-core-apps.js';

const FAMILIES: ReadonlyArray<readonly [string, ReadonlySet<number>]> = [
  ['TLS', new Set([91, 196, 21, 256, 51, 23, 29, 258, 259, 257])],
  ['QUIC', new Set([188])],
  ['HTTP', new Set([7, 130, 131])],
];

export interface CoverageTotals {
  flows: number;
  withApp: number;
  hinted: number;
  families: Map<string, { flows: number; withApp: number; remoteFlows: number; remoteWithApp: number }>;
  apps: Map<string, number>;
  captures: number;
  refused: number;
}

function emptyTotals(): CoverageTotals {
  return { flows: 0, withApp: 0, hinted: 0, families: new Map(FAMILIES.map(([name]) => [name, { flows: 0, withApp: 0, remoteFlows: 0, remoteWithApp: 0 }])), apps: new Map(), captures: 0, refused: 0 };
}

async function runCapture(core: AgentCoreApps, path: string, withDefinitions: boolean, totals: CoverageTotals): Promise<void> {
  const engine = new Engine({ detectionThreads: 1 });
  try {
    try {
      engine.addFileSource({ name: 'offline0', path });
    } catch {
      totals.refused++;
      return;
    }
    const options: Record<string, unknown> = { sources: [{ source: 0, name: 'offline0', role: 'lan' }], ndpiProtocols: Engine.ndpiProtocols() };
    if (withDefinitions) {
      const rules = new core.AppRules({
        definitions: core.readDefinitions(core.PACKAGED_APPS_FILE),
        categories: core.readCategories(core.PACKAGED_CATEGORIES_FILE),
        domainCategories: undefined,
      });
      options.applicationDetector = new core.ApplicationDetector(rules, new core.DnsHintCache({ ttlS: 1800, maxEntries: 100_000 }));
    }
    const model = new core.FlowModel(options);
    engine.start((records) => {
      for (const event of model.onRecords(records)) count(event, totals);
    });
    await engine.whenDone();
    totals.captures++;
  } finally {
    await engine.close();
  }
}

function count(event: FlowEventLike, totals: CoverageTotals): void {
  if (event.type !== 'flow_dpi_complete' || !event.flow) return;
  const flow = event.flow;
  totals.flows++;
  if (flow.detected_application !== 0) {
    totals.withApp++;
    totals.apps.set(flow.detected_application_name, (totals.apps.get(flow.detected_application_name) ?? 0) + 1);
  }
  if (flow.dhc_hit) totals.hinted++;
  for (const [name, ids] of FAMILIES) {
    if (!ids.has(flow.detected_protocol)) continue;
    const family = totals.families.get(name)!;
    family.flows++;
    if (flow.detected_application !== 0) family.withApp++;
    if (flow.other_type !== 'remote') continue;
    family.remoteFlows++;
    if (flow.detected_application !== 0) family.remoteWithApp++;
  }
}

export async function runCoverage(core: AgentCoreApps, capturesDir: string): Promise<string[]> {
  const files = readdirSync(capturesDir).filter((file) => /\.(pcap|pcapng|cap)$/.test(file)).sort();
  const lines: string[] = [];
  const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
  for (const withDefinitions of [false, true]) {
    const totals = emptyTotals();
    for (const file of files) await runCapture(core, join(capturesDir, file), withDefinitions, totals);
    lines.push(`${withDefinitions ? 'packaged definitions + categories + DNS hint cache' : 'nDPI-service table only (no definitions)'}: ${totals.captures} captures (${totals.refused} refused by the engine), ${totals.flows} flows, ${totals.withApp} with an application`);
    const sum = { flows: 0, withApp: 0, remoteFlows: 0, remoteWithApp: 0 };
    for (const [name, family] of totals.families) {
      for (const key of Object.keys(sum) as Array<keyof typeof sum>) sum[key] += family[key];
      lines.push(`  ${name.padEnd(13)} ${String(family.withApp).padStart(5)} of ${String(family.flows).padStart(5)} flows with an application (${percent(family.withApp, family.flows)}); to a public server: ${family.remoteWithApp} of ${family.remoteFlows} (${percent(family.remoteWithApp, family.remoteFlows)})`);
    }
    lines.push(`  ${'TLS+QUIC+HTTP'.padEnd(13)} ${String(sum.withApp).padStart(5)} of ${String(sum.flows).padStart(5)} flows with an application (${percent(sum.withApp, sum.flows)}); to a public server: ${sum.remoteWithApp} of ${sum.remoteFlows} (${percent(sum.remoteWithApp, sum.remoteFlows)})`);
    lines.push(`  flows named by the DNS hint cache: ${totals.hinted}`);
    if (withDefinitions) {
      lines.push('  top 20 applications (flows):');
      const top = [...totals.apps].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20);
      top.forEach(([tag, flows], index) => lines.push(`    ${String(index + 1).padStart(2)}. ${tag.padEnd(28)} ${flows}`));
    }
  }
  return lines;
}
