import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import type { DumpRequest } from './dump.js';

export interface SourceSpec {
  readonly role: 'lan' | 'wan';
  /** Interface name, or `offline<N>` for a capture file. */
  readonly name: string;
  /** Set for capture files. */
  readonly file?: string;
  /** Set for live interfaces. */
  readonly iface?: string;
  readonly addresses: string[];
  filter?: string;
}

export interface CliOptions {
  readonly config: string;
  readonly help: boolean;
  readonly version: boolean;
  readonly debug: boolean;
  readonly listPlugins: boolean;
  readonly enablePlugin?: string;
  readonly disablePlugin?: string;
  readonly replay: boolean;
  readonly sources: SourceSpec[];
  /** `--dump-*` / `--lookup-*`: print and exit. */
  readonly dump?: DumpRequest;
}

export const DEFAULT_CONFIG = '/etc/netifyd.conf';

export const USAGE = `Usage: netifyd [options]

  -c, --config FILE           netifyd.conf to use (default ${DEFAULT_CONFIG})
  -I, --internal IFACE|FILE   capture a LAN interface, or read a capture file
  -E, --external IFACE|FILE   capture a WAN interface, or read a capture file
  -A, --device-address CIDR   local network of the preceding -I/-E (repeatable)
  -F, --device-filter BPF     capture filter of the preceding -I/-E
  -r, --replay                read capture files at their own pace (default: as fast as possible)
      --list-plugins          list plugins from the loader files and exit
      --enable-plugin NAME    set enable = yes in NAME's loader file and exit
      --disable-plugin NAME   set enable = no in NAME's loader file and exit
      --dump-apps             list the loaded applications (id: tag) and exit
      --dump-protos           list netifyd's protocols (id: name) and exit
      --dump-categories       list application and protocol categories and exit
      --dump-risks            list netifyd's flow risks (id: name) and exit
      --lookup-ip ADDR        print the application of an address's network and exit
      --lookup-host NAME      print the application of a host name and exit
  -d, --debug                 log debug messages
  -V, --version               print the agent version and plugin ABI and exit
  -h, --help                  print this help and exit
`;

/** Parses argv (without node and script). Throws ConfigError (exit code 2) naming the option. */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseWithTokens>;
  try {
    parsed = parseWithTokens(argv);
  } catch (error) {
    throw new ConfigError('ERR_USAGE', `${(error as Error).message.replace(/\. To specify.*$/s, '')}; see --help`);
  }
  const { values, tokens } = parsed;
  const sources: SourceSpec[] = [];
  let offline = 0;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const value = token.value ?? '';
    switch (token.name) {
      case 'internal':
      case 'external': {
        const role = token.name === 'internal' ? 'lan' : 'wan';
        sources.push(sourceFor(token.rawName, value, role, () => `offline${offline++}`));
        break;
      }
      case 'device-address':
        lastSource(sources, token.rawName).addresses.push(checkCidr(token.rawName, value));
        break;
      case 'device-filter':
        lastSource(sources, token.rawName).filter = checkFilter(token.rawName, value);
        break;
    }
  }
  if (values['enable-plugin'] !== undefined && values['disable-plugin'] !== undefined) {
    throw new ConfigError('ERR_USAGE', '--enable-plugin and --disable-plugin cannot be combined');
  }
  const dump = dumpRequest(values);
  return {
    ...(dump ? { dump } : {}),
    config: values.config ?? DEFAULT_CONFIG,
    help: values.help ?? false,
    version: values.version ?? false,
    debug: values.debug ?? false,
    listPlugins: values['list-plugins'] ?? false,
    enablePlugin: values['enable-plugin'],
    disablePlugin: values['disable-plugin'],
    replay: values.replay ?? false,
    sources,
  };
}

function parseWithTokens(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    tokens: true,
    allowPositionals: false,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      internal: { type: 'string', short: 'I', multiple: true },
      external: { type: 'string', short: 'E', multiple: true },
      'device-address': { type: 'string', short: 'A', multiple: true },
      'device-filter': { type: 'string', short: 'F', multiple: true },
      replay: { type: 'boolean', short: 'r' },
      'list-plugins': { type: 'boolean' },
      'enable-plugin': { type: 'string' },
      'disable-plugin': { type: 'string' },
      'dump-apps': { type: 'boolean' },
      'dump-protos': { type: 'boolean' },
      'dump-categories': { type: 'boolean' },
      'dump-risks': { type: 'boolean' },
      'lookup-ip': { type: 'string' },
      'lookup-host': { type: 'string' },
      debug: { type: 'boolean', short: 'd' },
      version: { type: 'boolean', short: 'V' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function dumpRequest(values: ReturnType<typeof parseWithTokens>['values']): DumpRequest | undefined {
  const requests: DumpRequest[] = [];
  for (const kind of ['apps', 'protos', 'categories', 'risks'] as const) if (values[`dump-${kind}`]) requests.push({ kind });
  for (const kind of ['lookup-ip', 'lookup-host'] as const) {
    const value = values[kind];
    if (value !== undefined) requests.push({ kind, value });
  }
  if (requests.length > 1) throw new ConfigError('ERR_USAGE', 'give one --dump-* or --lookup-* option at a time');
  return requests[0];
}

function sourceFor(option: string, value: string, role: 'lan' | 'wan', nextOfflineName: () => string): SourceSpec {
  if (value === '') throw new ConfigError('ERR_USAGE', `${option}: needs an interface name or a capture file`);
  if (existsSync(value)) {
    if (!statSync(value).isFile()) throw new ConfigError('ERR_USAGE', `${option} ${value}: not a regular file or an interface`);
    return { role, name: nextOfflineName(), file: value, addresses: [] };
  }
  if (value.includes('/') || !existsSync(`/sys/class/net/${value}`)) {
    throw new ConfigError('ERR_USAGE', `${option} ${value}: no such network interface or capture file`);
  }
  return { role, name: value, iface: value, addresses: [] };
}

function lastSource(sources: SourceSpec[], option: string): SourceSpec {
  const source = sources.at(-1);
  if (!source) throw new ConfigError('ERR_USAGE', `${option} applies to the preceding -I/-E, but none was given`);
  return source;
}

function checkCidr(option: string, value: string): string {
  const [address = '', length, extra] = value.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) {
    throw new ConfigError('ERR_USAGE', `${option} ${value}: expected an IPv4 or IPv6 address with optional /prefix length`);
  }
  const max = version === 4 ? 32 : 128;
  if (length !== undefined && (!/^\d{1,3}$/.test(length) || Number(length) > max)) {
    throw new ConfigError('ERR_USAGE', `${option} ${value}: prefix length must be 0-${max}`);
  }
  return length === undefined ? `${address}/${max}` : value;
}

function checkFilter(option: string, value: string): string {
  if (value.trim() === '') throw new ConfigError('ERR_USAGE', `${option}: the capture filter is empty`);
  return value;
}
