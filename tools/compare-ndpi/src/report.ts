import type { CaptureComparison, Tally } from './compare-flows.js';

export interface ComparisonTotals {
  captures: number;
  /** Captures that could not be compared (their expected flows count as missing). */
  failedCaptures: number;
  expectedFlows: number;
  engineFlows: number;
  found: Tally;
  extra: number;
  protocol: Tally;
  protocolIds: Tally;
  hostname: Tally;
  ja3: Tally;
  packets: Tally;
  bytes: Tally;
}

const add = (a: Tally, b: Tally): Tally => ({ agree: a.agree + b.agree, compared: a.compared + b.compared });
const zero = (): Tally => ({ agree: 0, compared: 0 });

export function totalOf(comparisons: CaptureComparison[]): ComparisonTotals {
  const totals: ComparisonTotals = {
    captures: comparisons.length,
    failedCaptures: 0,
    expectedFlows: 0,
    engineFlows: 0,
    found: zero(),
    extra: 0,
    protocol: zero(),
    protocolIds: zero(),
    hostname: zero(),
    ja3: zero(),
    packets: zero(),
    bytes: zero(),
  };
  for (const c of comparisons) {
    if (c.error !== undefined) totals.failedCaptures++;
    totals.expectedFlows += c.expectedFlows;
    totals.engineFlows += c.engineFlows;
    totals.found = add(totals.found, { agree: c.found, compared: c.expectedFlows });
    totals.extra += c.extra;
    totals.protocol = add(totals.protocol, c.protocol);
    totals.protocolIds = add(totals.protocolIds, c.protocolIds);
    totals.hostname = add(totals.hostname, c.hostname);
    totals.ja3 = add(totals.ja3, c.ja3);
    totals.packets = add(totals.packets, c.packets);
    totals.bytes = add(totals.bytes, c.bytes);
  }
  return totals;
}

export function percent(tally: Tally): string {
  return tally.compared === 0 ? 'n/a' : `${((100 * tally.agree) / tally.compared).toFixed(2)} %`;
}

const ratio = (tally: Tally): string => `${tally.agree}/${tally.compared}`;

const COLUMNS = ['capture', 'flows', 'extra', 'protocol', 'hostname', 'ja3', 'packets', 'bytes'] as const;

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
}

function captureCells(c: CaptureComparison): string[] {
  if (c.error !== undefined) return [c.capture, `0/${c.expectedFlows}`, '-', `ERROR: ${c.error}`];
  const found = { agree: c.found, compared: c.expectedFlows };
  return [c.capture, ratio(found), String(c.extra), ratio(c.protocol), ratio(c.hostname), ratio(c.ja3), ratio(c.packets), ratio(c.bytes)];
}

/** The human-readable report: one row per capture, the totals, then every mismatch. */
export function formatTextReport(comparisons: CaptureComparison[], totals: ComparisonTotals): string {
  const rows = comparisons.map(captureCells);
  const tableRows = rows.filter((cells) => cells.length === COLUMNS.length);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...tableRows.map((cells) => (cells[i] ?? '').length)));
  const lines = [row([...COLUMNS], widths)];
  for (const cells of rows) lines.push(cells.length === COLUMNS.length ? row(cells, widths) : cells.join('  '));

  lines.push(
    '',
    `TOTAL over ${totals.captures} captures (${totals.failedCaptures} could not be compared)`,
    `  flows found        ${ratio(totals.found)}  ${percent(totals.found)}   (engine flows ${totals.engineFlows}, extra ${totals.extra})`,
    `  same protocol      ${ratio(totals.protocol)}  ${percent(totals.protocol)}   (by nDPI ids: ${ratio(totals.protocolIds)}  ${percent(totals.protocolIds)})`,
    `  same hostname/SNI  ${ratio(totals.hostname)}  ${percent(totals.hostname)}`,
    `  same JA3C/JA3S     ${ratio(totals.ja3)}  ${percent(totals.ja3)}`,
    `  same packets       ${ratio(totals.packets)}  ${percent(totals.packets)}`,
    `  same bytes         ${ratio(totals.bytes)}  ${percent(totals.bytes)}`,
  );

  const mismatches = comparisons.flatMap((c) => c.mismatches);
  lines.push('', `MISMATCHES (${mismatches.length})`);
  for (const m of mismatches) {
    lines.push(`  ${m.capture}  ${m.tuple}  ${m.field}: expected ${m.expected}, got ${m.got}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The machine-readable report printed by `--json`. */
export function toJsonReport(comparisons: CaptureComparison[], totals: ComparisonTotals): { total: ComparisonTotals; captures: CaptureComparison[] } {
  return { total: totals, captures: comparisons };
}
