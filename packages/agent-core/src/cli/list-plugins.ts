import type { AgentPaths } from '../config/agent-config.js';
import { describe, importPluginFactory } from '../plugins/load-plugin.js';
import { readPluginEntries } from '../plugins/loader-files.js';

/** `--list-plugins`: one row per loader entry, with what its module declares. */
export async function listPlugins(paths: AgentPaths): Promise<string> {
  const entries = readPluginEntries(paths);
  if (entries.length === 0) return `no plugins declared in ${paths.plugins}\n`;
  const rows: string[][] = [['NAME', 'KIND', 'VERSION', 'ABI', 'ENABLED', 'LOADER FILE']];
  const problems: string[] = [];
  for (const entry of entries) {
    let version = '-';
    let abi = '-';
    try {
      const factory = await importPluginFactory(entry);
      version = factory.version;
      abi = factory.abi;
    } catch (error) {
      problems.push(`  ${entry.name}: ${describe(error)}`);
    }
    rows.push([entry.name, entry.kind, version, abi, entry.enabled ? 'yes' : 'no', entry.loaderFile]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const table = rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')).join('\n');
  return `${table}\n${problems.length ? `\nnot loadable:\n${problems.join('\n')}\n` : ''}`;
}
