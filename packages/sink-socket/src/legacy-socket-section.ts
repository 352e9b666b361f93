import { NETIFYD_SOCKET_PORT } from './bind-address.js';

/** The channel netifyd.conf's `[socket]` listeners are served on (they all carried one stream). */
export const LEGACY_SOCKET_CHANNEL = 'legacy-socket';

/**
 * Maps netifyd.conf's older `[socket]` section onto bind addresses, in netifyd's
 * order: `listen_path[0..]` (Unix sockets), then `listen_address[0..]` with
 * `listen_port[N]` (default 7150). Like netifyd, each list stops at the first missing
 * index. Returns `{ 'legacy-socket': [...] }`, or `{}` when the section names no listener.
 */
export function channelsFromSocketSection(section: Readonly<Record<string, string>> | undefined): Record<string, string[]> {
  if (!section) return {};
  const addresses: string[] = [];
  for (let index = 0; section[`listen_path[${index}]`]?.trim(); index++) {
    addresses.push(`unix://${(section[`listen_path[${index}]`] as string).trim()}`);
  }
  for (let index = 0; section[`listen_address[${index}]`]?.trim(); index++) {
    const host = (section[`listen_address[${index}]`] as string).trim();
    const port = section[`listen_port[${index}]`]?.trim() || String(NETIFYD_SOCKET_PORT);
    addresses.push(`tcp://${host.includes(':') ? `[${host}]` : host}:${port}`);
  }
  return addresses.length > 0 ? { [LEGACY_SOCKET_CHANNEL]: addresses } : {};
}
