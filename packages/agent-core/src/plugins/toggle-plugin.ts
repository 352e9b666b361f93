import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { AgentPaths } from '../config/agent-config.js';
import { setIniValue } from '../config/ini-file.js';
import { ConfigError } from '../errors.js';
import { readPluginEntries } from './loader-files.js';

/**
 * `--enable-plugin` / `--disable-plugin`: rewrites only the `enable` line of that plugin's
 * section in its loader file; every other byte (comments, order, spacing) is kept. The file
 * is replaced atomically so the agent never reads half of it.
 */
export function setPluginEnabled(paths: AgentPaths, name: string, enabled: boolean): { file: string; changed: boolean } {
  const entries = readPluginEntries(paths);
  const entry = entries.find((e) => e.name === name);
  if (!entry) {
    const known = entries.map((e) => e.name).join(', ') || 'none';
    throw new ConfigError('ERR_PLUGIN_UNKNOWN', `unknown plugin "${name}" in ${paths.plugins} (known: ${known})`);
  }
  const text = readFileSync(entry.loaderFile, 'utf8');
  const updated = setIniValue(text, name, 'enable', enabled ? 'yes' : 'no');
  if (updated === undefined || updated === text) return { file: entry.loaderFile, changed: false };
  const temp = `${entry.loaderFile}.tmp-${process.pid}`;
  writeFileSync(temp, updated, { mode: statSync(entry.loaderFile).mode & 0o7777 });
  renameSync(temp, entry.loaderFile);
  return { file: entry.loaderFile, changed: true };
}
