import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { IniFile, parseIniBoolean } from './ini-file.js';
import { isFreeFormSection, KNOWN_SECTIONS, SECTION_ALIASES, type KeySpec } from './config-keys.js';
import { expandTemplate } from '@netifyd/plugin-sdk';

export interface AgentPaths {
  readonly config: string;
  readonly persistent: string;
  readonly volatile: string;
  readonly plugins: string;
  readonly pidFile: string;
  readonly interfaces: string;
  readonly appConfig: string;
  readonly categoryConfig: string;
  readonly categories: string;
}

export interface AgentConfig {
  readonly file: string;
  readonly paths: AgentPaths;
  readonly uuid: string;
  readonly uuidSerial: string;
  readonly uuidSite: string;
  readonly updateIntervalS: number;
  readonly ttlIdleFlowS: number;
  readonly ttlIdleTcpFlowS: number;
  readonly maxDetectionPackets: number;
  readonly maxFlows: number;
  readonly maxCaptureLength: number;
  readonly detectionThreads: number;
  readonly autoFlowExpiry: boolean;
  /** Raw sections (canonical names) for code and plugins that read their own keys. */
  readonly sections: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Non-fatal findings (unknown sections, ignored keys) to log once at start. */
  readonly notices: readonly string[];
}

const NULL_UUID = '00-00-00-00';

/** Reads and checks netifyd.conf. Throws ConfigError naming the file and key. */
export function loadAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('ERR_CONFIG_READ', `${file}: cannot read configuration (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const ini = new IniFile(file, text);
  const notices: string[] = [];
  const sections = new Map<string, Record<string, string>>();
  for (const section of ini.sections) {
    const name = SECTION_ALIASES[section.name] ?? section.name;
    const known = KNOWN_SECTIONS[name];
    if (!known && !isFreeFormSection(name)) {
      notices.push(`${file}:${section.line}: section [${section.name}] is not used by netifyd-ts; ignored`);
    }
    const values = sections.get(name) ?? {};
    for (const entry of section.entries) {
      if (known) checkEntry(file, section.name, known, entry.key, entry.value, entry.line, notices);
      values[entry.key] = entry.value;
    }
    sections.set(name, values);
  }
  return buildConfig(file, sections, notices);
}

function checkEntry(
  file: string,
  section: string,
  known: Readonly<Record<string, KeySpec>>,
  key: string,
  value: string,
  line: number,
  notices: string[],
): void {
  const listMatch = /^([a-z_]+)\[(\d+)\]$/.exec(key);
  const spec = listMatch ? known[listMatch[1]!] : known[key];
  const where = `${file}:${line}: [${section}] ${key}`;
  if (!spec || (listMatch ? !spec.list : spec.list)) {
    const hint = closestKey(key, Object.keys(known));
    throw new ConfigError('ERR_CONFIG_KEY', `${where}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  if (spec.kind === 'integer' && !/^\d+$/.test(value)) {
    throw new ConfigError('ERR_CONFIG_VALUE', `${where} must be a non-negative integer (got ${JSON.stringify(value)})`);
  }
  if (spec.kind === 'boolean' && parseIniBoolean(value) === undefined) {
    throw new ConfigError('ERR_CONFIG_VALUE', `${where} must be yes/no, true/false, on/off or 1/0 (got ${JSON.stringify(value)})`);
  }
  if (spec.ignored) notices.push(`${where} is accepted for netifyd compatibility and has no effect`);
}

function closestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function buildConfig(file: string, sections: Map<string, Record<string, string>>, notices: string[]): AgentConfig {
  const nd = sections.get('netifyd') ?? {};
  const configDir = dirname(resolve(file));
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(configDir, p));
  const persistent = absolute(nd.path_state_persistent ?? nd.path_persistent_state ?? configDir);
  const volatile = absolute(nd.path_state_volatile ?? nd.path_volatile_state ?? '/var/run/netifyd');
  const expand = (value: string) => absolute(expandTemplate(value, { path_state_persistent: persistent, path_state_volatile: volatile }));
  const paths: AgentPaths = {
    config: resolve(file),
    persistent,
    volatile,
    plugins: expand(nd.path_plugins ?? `${configDir}/plugins.d`),
    pidFile: expand(nd.path_pid_file ?? '${path_state_volatile}/netifyd.pid'),
    interfaces: expand(nd.path_interfaces ?? '${path_state_persistent}/interfaces.d'),
    appConfig: expand(nd.path_app_config ?? '${path_state_persistent}/netify-apps.conf'),
    categoryConfig: expand(nd.path_category_config ?? '${path_state_persistent}/netify-categories.json'),
    categories: expand(nd.path_categories ?? '${path_state_persistent}/categories.d'),
  };
  const int = (key: string, fallback: number, min = 0): number => {
    const raw = nd[key];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (value < min) throw new ConfigError('ERR_CONFIG_VALUE', `${file}: [netifyd] ${key} must be at least ${min} (got ${raw})`);
    return value;
  };
  const bool = (key: string, fallback: boolean): boolean => (nd[key] === undefined ? fallback : parseIniBoolean(nd[key]!)!);
  const threads = sections.get('threads')?.detection_cores;
  return {
    file: resolve(file),
    paths,
    uuid: nd.uuid ?? readUuid(nd.path_uuid ? expand(nd.path_uuid) : `${persistent}/agent.uuid`) ?? NULL_UUID,
    uuidSerial: nd.uuid_serial ?? readUuid(nd.path_uuid_serial ? expand(nd.path_uuid_serial) : `${persistent}/serial.uuid`) ?? '-',
    uuidSite: nd.uuid_site ?? readUuid(nd.path_uuid_site ? expand(nd.path_uuid_site) : `${persistent}/site.uuid`) ?? '-',
    updateIntervalS: int('update_interval', 15, 1),
    ttlIdleFlowS: int('ttl_idle_flow', 30, 1),
    ttlIdleTcpFlowS: int('ttl_idle_tcp_flow', 300, 1),
    maxDetectionPackets: int('max_detection_pkts', 32, 1),
    maxFlows: int('max_flows', 0),
    maxCaptureLength: int('max_capture_length', 65535, 64),
    detectionThreads: int('detection_threads', threads !== undefined && Number(threads) > 0 ? Number(threads) : 2, 1),
    autoFlowExpiry: bool('auto_flow_expiry', true),
    sections,
    notices,
  };
}

function readUuid(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? undefined : text;
}
