import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** TCP segments with RST set, IPv4 or IPv6 (no extension headers in lab traffic). */
const RST_FILTER = '(ip and tcp[tcpflags] & tcp-rst != 0) or (ip6 and ip6[6] == 6 and ip6[53] & 4 != 0)';
const FIN_FILTER = '(ip and tcp[tcpflags] & tcp-fin != 0) or (ip6 and ip6[6] == 6 and ip6[53] & 1 != 0)';

/** Packets of `pcapPath` matching a BPF filter, as tcpdump prints them. */
export async function packetLines(pcapPath: string, filter: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('tcpdump', ['-n', '-r', pcapPath, filter], { timeout: 15_000 });
  return stdout.split('\n').filter((line) => line !== '');
}

export function resets(pcapPath: string): Promise<string[]> {
  return packetLines(pcapPath, RST_FILTER);
}

export function fins(pcapPath: string): Promise<string[]> {
  return packetLines(pcapPath, FIN_FILTER);
}
