/** netifyd's socket port, used when neither the address nor `default_port` gives one. */
export const NETIFYD_SOCKET_PORT = 7150;
/** Listeners without an explicit host stay on the local machine. */
export const DEFAULT_HOST = '127.0.0.1';

export type NetworkScheme = 'tcp' | 'udp' | 'ws' | 'wss';

export type BindAddress =
  | { readonly scheme: 'unix'; readonly path: string }
  | { readonly scheme: NetworkScheme; readonly host: string; readonly port: number };

export type ParsedBindAddress = { ok: true; address: BindAddress } | { ok: false; expected: string };

const SCHEMES = ['unix', 'tcp', 'udp', 'ws', 'wss'] as const;

/**
 * Parses Netify's `bind_address`: `unix:///absolute/path`, or
 * `tcp|udp|ws|wss://HOST:PORT` where HOST may be `[IPv6]`, may be left out
 * (`tcp://:7150`, `tcp://7150`: 127.0.0.1), and PORT may be left out (`defaultPort`).
 */
export function parseBindAddress(text: string, defaultPort: number): ParsedBindAddress {
  const match = /^([a-z]+):\/\/(.*)$/.exec(text);
  const scheme = SCHEMES.find((candidate) => candidate === match?.[1]);
  if (!match || !scheme) return { ok: false, expected: 'unix://PATH, tcp://HOST:PORT, udp://HOST:PORT, ws://HOST:PORT or wss://HOST:PORT' };
  const rest = match[2] as string;
  if (scheme === 'unix') {
    return rest.startsWith('/') && !rest.endsWith('/')
      ? { ok: true, address: { scheme, path: rest } }
      : { ok: false, expected: 'unix:// followed by an absolute socket file path, e.g. unix:///var/run/netifyd/netifyd.sock' };
  }
  const hostPort = parseHostPort(rest.endsWith('/') ? rest.slice(0, -1) : rest, defaultPort);
  return hostPort
    ? { ok: true, address: { scheme, ...hostPort } }
    : { ok: false, expected: `${scheme}://HOST:PORT with a port from 0 to 65535, e.g. ${scheme}://127.0.0.1:${NETIFYD_SOCKET_PORT}` };
}

function parseHostPort(text: string, defaultPort: number): { host: string; port: number } | undefined {
  if (/^\d+$/.test(text)) return portOrUndefined(DEFAULT_HOST, text);
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return portOrUndefined(bracketed[1] as string, bracketed[2], defaultPort);
  const plain = /^([^:\s/[\]]*)(?::(\d+))?$/.exec(text);
  if (!plain) return undefined;
  return portOrUndefined(plain[1] || DEFAULT_HOST, plain[2], defaultPort);
}

function portOrUndefined(host: string, port: string | undefined, defaultPort?: number): { host: string; port: number } | undefined {
  const value = port === undefined ? defaultPort : Number(port);
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 65535) return undefined;
  return { host, port: value };
}

/** The address written back as a URL, with the port actually bound (for logs and tests). */
export function formatBindAddress(address: BindAddress): string {
  if (address.scheme === 'unix') return `unix://${address.path}`;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.scheme}://${host}:${address.port}`;
}
