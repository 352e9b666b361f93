import { existsSync } from 'node:fs';
import type { Logger } from '@netifyd/plugin-sdk';
import type { AppSnapshot } from '../apps/app-rules.js';
import { loadAppSnapshot, PACKAGED_APPS_FILE, PACKAGED_CATEGORIES_FILE, readCategories, readDefinitions } from '../apps/load-app-rules.js';
import { loadAgentConfig } from '../config/agent-config.js';
import { ConfigError } from '../errors.js';
import { readDataFile, type NetifydProtocolsFile } from '../flow/data-files.js';
import { sanitizeHostName } from '../flow/flow-text.js';
import { parseIp } from '../flow/ip-address.js';

/** What `--dump-*` / `--lookup-*` asked for. */
export type DumpRequest =
  | { readonly kind: 'apps' | 'protos' | 'categories' | 'risks' }
  | { readonly kind: 'lookup-ip' | 'lookup-host'; readonly value: string };

interface NetifydRisksFile {
  risks: Record<string, string>;
}

/** netifyd's `%6u: text` line. */
function line(id: number, text: string): string {
  return `${String(id).padStart(6)}: ${text}\n`;
}

function table(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([id, name]) => [Number(id), name] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([id, name]) => line(id, name))
    .join('');
}

/**
 * The definitions and categories the agent would use: from netifyd.conf when it exists (or
 * was named with -c), else the packaged files.
 */
function snapshotFor(configFile: string, defaultConfig: boolean, log: Logger): AppSnapshot {
  if (defaultConfig && !existsSync(configFile)) {
    return { definitions: readDefinitions(PACKAGED_APPS_FILE), categories: readCategories(PACKAGED_CATEGORIES_FILE), domainCategories: undefined };
  }
  return loadAppSnapshot(loadAgentConfig(configFile), log);
}

/** The text netifyd prints for a dump or lookup option (FORMATS §10.2). */
export function dumpText(request: DumpRequest, configFile: string, defaultConfig: boolean, log: Logger): string {
  switch (request.kind) {
    case 'protos':
      return table(readDataFile<NetifydProtocolsFile>('netifyd-protocols.json').protocols);
    case 'risks':
      return table(readDataFile<NetifydRisksFile>('netifyd-risks.json').risks);
    case 'apps':
      return snapshotFor(configFile, defaultConfig, log).definitions.applications().map((app) => line(app.id, app.tag)).join('');
    case 'categories': {
      const categories = snapshotFor(configFile, defaultConfig, log).categories;
      if (!categories) return '';
      return (['application', 'protocol'] as const).map((kind) => categories.categories(kind).map((category) => line(category.id, `${kind}: ${category.tag}`)).join('')).join('');
    }
    case 'lookup-ip': {
      const bytes = parseIp(request.value.trim());
      if (!bytes) throw new ConfigError('ERR_USAGE', `--lookup-ip ${request.value}: not an IPv4 or IPv6 address`);
      const app = snapshotFor(configFile, defaultConfig, log).definitions.findAddress(bytes);
      return line(app?.id ?? 0, app?.tag ?? 'Unknown');
    }
    case 'lookup-host': {
      const host = sanitizeHostName(request.value.trim());
      if (host === '' || host !== request.value.trim().toLowerCase().replace(/\.+$/, '')) {
        throw new ConfigError('ERR_USAGE', `--lookup-host ${request.value}: not a host name (letters, digits, '.', '-', '_')`);
      }
      const app = snapshotFor(configFile, defaultConfig, log).definitions.findHost(host);
      return line(app?.id ?? 0, app?.tag ?? 'Unknown');
    }
  }
}
