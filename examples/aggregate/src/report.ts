import type { AgentSummary } from './agent-ledger.js';

const COLUMNS: ReadonlyArray<readonly [string, (summary: AgentSummary) => string | number]> = [
  ['AGENT', (s) => s.agent],
  ['MESSAGES', (s) => s.messages],
  ['UNIQUE', (s) => s.unique],
  ['DUPLICATES', (s) => s.duplicates],
  ['FLOWS', (s) => s.flows],
  ['LIFETIMES', (s) => s.lifetimes],
  ['DPI_COMPLETE', (s) => s.types['flow_dpi_complete'] ?? 0],
  ['PURGED', (s) => s.purged],
  ['OPEN', (s) => s.open],
  ['ORDER_ERRORS', (s) => s.orderViolations],
  ['UNDECODABLE', (s) => s.undecodable],
];

/** A plain-text table: one row per agent, then a total row. */
export function formatReport(summaries: readonly AgentSummary[]): string {
  const total: AgentSummary = {
    agent: `total (${summaries.length} agents)`,
    messages: sum(summaries, (s) => s.messages),
    unique: sum(summaries, (s) => s.unique),
    duplicates: sum(summaries, (s) => s.duplicates),
    undecodable: sum(summaries, (s) => s.undecodable),
    types: { flow_dpi_complete: sum(summaries, (s) => s.types['flow_dpi_complete'] ?? 0) },
    flows: sum(summaries, (s) => s.flows),
    lifetimes: sum(summaries, (s) => s.lifetimes),
    purged: sum(summaries, (s) => s.purged),
    open: sum(summaries, (s) => s.open),
    orderViolations: sum(summaries, (s) => s.orderViolations),
  };
  const rows = [COLUMNS.map(([title]) => title), ...[...summaries, total].map((s) => COLUMNS.map(([, cell]) => String(cell(s))))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

function sum(summaries: readonly AgentSummary[], pick: (summary: AgentSummary) => number): number {
  return summaries.reduce((total, summary) => total + pick(summary), 0);
}
