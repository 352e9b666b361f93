import { LabError } from './errors.js';
import { runCommand } from './run-command.js';

export interface LabAddresses {
  ipv4: string;
  ipv6: string;
}

export interface EndLayout {
  interfaceName: string;
  mac: string;
  addresses: LabAddresses;
}

export interface LabEnd extends EndLayout {
  namespace: string;
}

/** Private IPv4 and ULA IPv6 subnets shared by every lab (each lab is its own world). */
export const LAB_IPV4_CIDR = '10.77.0.0/24';
export const LAB_IPV6_CIDR = 'fd00:6e64::/64';

/** Fixed, locally administered MACs and addresses keep recorded captures reproducible. */
export const LAB_LAYOUT: { readonly a: EndLayout; readonly b: EndLayout } = {
  a: { interfaceName: 'veth-a', mac: '02:00:00:00:00:0a', addresses: { ipv4: '10.77.0.1', ipv6: 'fd00:6e64::1' } },
  b: { interfaceName: 'veth-b', mac: '02:00:00:00:00:0b', addresses: { ipv4: '10.77.0.2', ipv6: 'fd00:6e64::2' } },
};

/**
 * Applied in each namespace before the veth exists, so the `default` values reach the new
 * interface: no router solicitations, no autoconf or RA processing, no link-local address,
 * no DAD, and MLD's unsolicited reports squeezed into the first few milliseconds after
 * link-up (they cannot be switched off while IPv6 is on) so a capture started later is quiet.
 */
const QUIET_IPV6_SYSCTLS = ['all', 'default'].flatMap((scope) => [
  `net.ipv6.conf.${scope}.accept_ra=0`,
  `net.ipv6.conf.${scope}.autoconf=0`,
  `net.ipv6.conf.${scope}.router_solicitations=0`,
  `net.ipv6.conf.${scope}.addr_gen_mode=1`,
  `net.ipv6.conf.${scope}.dad_transmits=0`,
  `net.ipv6.conf.${scope}.mldv1_unsolicited_report_interval=1`,
  `net.ipv6.conf.${scope}.mldv2_unsolicited_report_interval=1`,
]);

const WIRE_FRAME_BYTES = 1500;
const LINK_UP_TIMEOUT_MS = 3_000;
const LINK_POLL_MS = 25;
const MLD_SETTLE_MS = 100;

export async function quietIpv6(namespace: string, timeoutMs: number): Promise<void> {
  await runCommand(['ip', 'netns', 'exec', namespace, 'sysctl', '-q', '-w', ...QUIET_IPV6_SYSCTLS], { timeoutMs });
}

export async function createVethPair(a: LabEnd, b: LabEnd, timeoutMs: number): Promise<void> {
  await runCommand(
    ['ip', 'link', 'add', a.interfaceName, 'address', a.mac, 'netns', a.namespace,
      'type', 'veth', 'peer', 'name', b.interfaceName, 'address', b.mac, 'netns', b.namespace],
    { timeoutMs },
  );
}

/**
 * Addresses, loopback and link up in one `ip -batch` per namespace. gso_max_size keeps
 * TCP from handing the veth 64 KB segments, so captures hold wire-sized frames (≤ MTU)
 * as a physical link would.
 */
export async function configureEnd(end: LabEnd, timeoutMs: number): Promise<void> {
  const batch = [
    'link set lo up',
    `link set ${end.interfaceName} gso_max_size ${WIRE_FRAME_BYTES}`,
    `addr add ${end.addresses.ipv4}/${prefixLength(LAB_IPV4_CIDR)} dev ${end.interfaceName}`,
    `addr add ${end.addresses.ipv6}/${prefixLength(LAB_IPV6_CIDR)} dev ${end.interfaceName} nodad`,
    `link set ${end.interfaceName} up`,
  ].join('\n');
  await runCommand(['ip', '-n', end.namespace, '-batch', '-'], { timeoutMs, input: `${batch}\n` });
}

/** Waits (bounded) until both ends report carrier, then lets MLD's join reports pass. */
export async function waitForLinksUp(ends: readonly LabEnd[], timeoutMs = LINK_UP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ends.map(linkState));
    if (states.every((state) => state === 'UP')) break;
    if (Date.now() >= deadline) {
      const detail = ends.map((end, i) => `${end.namespace}/${end.interfaceName}=${states[i]}`).join(', ');
      throw new LabError('ERR_LAB_LINK_DOWN', `veth pair did not come up within ${timeoutMs} ms (${detail})`);
    }
    await delay(LINK_POLL_MS);
  }
  await delay(MLD_SETTLE_MS);
}

async function linkState(end: LabEnd): Promise<string> {
  const { stdout } = await runCommand(['ip', '-n', end.namespace, '-o', 'link', 'show', 'dev', end.interfaceName]);
  return /\bstate (\S+)/.exec(stdout)?.[1] ?? 'UNKNOWN';
}

function prefixLength(cidr: string): string {
  return cidr.split('/')[1] ?? '';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
