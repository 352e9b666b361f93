/** IP protocol names as ndpiReader 4.2 prints them; any other protocol is printed as its number. */
const IP_PROTOCOL_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['ICMP', 1],
  ['IGMP', 2],
  ['TCP', 6],
  ['UDP', 17],
  ['ICMPV6', 58],
  ['VRRP', 112],
]);

const IP_PROTOCOL_NAME: ReadonlyMap<number, string> = new Map(
  [...IP_PROTOCOL_BY_NAME].map(([name, number]) => [number, name]),
);

/** 'TCP' → 6, '115' → 115; undefined when the token is neither a known name nor 0–255. */
export function ipProtocolNumber(token: string): number | undefined {
  const named = IP_PROTOCOL_BY_NAME.get(token);
  if (named !== undefined) return named;
  if (!/^\d{1,3}$/.test(token)) return undefined;
  const number = Number(token);
  return number <= 255 ? number : undefined;
}

export function ipProtocolName(protocol: number): string {
  return IP_PROTOCOL_NAME.get(protocol) ?? String(protocol);
}

/**
 * One textual form per address, so that both sides compare equal however they spelled it:
 * IPv6 goes through the WHATWG URL parser (lowercase, longest zero run compressed).
 */
export function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}

/**
 * Every address a printed spelling can stand for: just the normalised one, except for the IPv6
 * addresses ndpiReader 4.2 sometimes prints with several `::` (e.g. `302e::3d00::8001`), which
 * stand for each way of sharing the missing zero groups among the gaps.
 */
export function ipSpellings(ip: string): string[] {
  const parts = ip.split('::');
  if (parts.length <= 2) return [normalizeIp(ip)];
  const groups = parts.map((part) => (part === '' ? [] : part.split(':')));
  const gaps = parts.length - 1;
  const missing = 8 - groups.reduce((count, group) => count + group.length, 0);
  if (missing < gaps) return [normalizeIp(ip)];
  const spellings = new Set<string>();
  const expand = (gap: number, left: number, written: string[]): void => {
    const withPart = [...written, ...(groups[gap] as string[])];
    if (gap === gaps) {
      if (left === 0) spellings.add(normalizeIp(withPart.join(':')));
      return;
    }
    for (let zeros = 1; zeros <= left - (gaps - 1 - gap); zeros++) expand(gap + 1, left - zeros, [...withPart, ...Array<string>(zeros).fill('0')]);
  };
  expand(0, missing, []);
  return [...spellings];
}

export interface Endpoint {
  ip: string;
  port: number;
}

export interface FlowTuple {
  ipProtocol: number;
  vlanId: number;
  a: Endpoint;
  b: Endpoint;
}

function endpointText(endpoint: Endpoint): string {
  return `${normalizeIp(endpoint.ip)}#${endpoint.port}`;
}

/** The unordered 5-tuple plus VLAN as one string: equal for both directions of a flow. */
export function flowKey(tuple: FlowTuple): string {
  const a = endpointText(tuple.a);
  const b = endpointText(tuple.b);
  const [low, high] = a <= b ? [a, b] : [b, a];
  return `${tuple.ipProtocol}|${tuple.vlanId}|${low}|${high}`;
}

/** The keys a tuple may have: one, or several when an address has an ambiguous spelling. */
export function flowKeys(tuple: FlowTuple): string[] {
  const keys = new Set<string>();
  for (const a of ipSpellings(tuple.a.ip)) {
    for (const b of ipSpellings(tuple.b.ip)) keys.add(flowKey({ ...tuple, a: { ip: a, port: tuple.a.port }, b: { ip: b, port: tuple.b.port } }));
  }
  return [...keys];
}

/** Whether `printed` (possibly an ambiguous spelling) can be the endpoint `actual`. */
export function sameEndpoint(printed: Endpoint, actual: Endpoint): boolean {
  return printed.port === actual.port && ipSpellings(printed.ip).includes(normalizeIp(actual.ip));
}

/** ndpiReader's spelling of a tuple, e.g. `UDP [fe80::1]:546 -> [ff02::1:2]:547 [VLAN: 7]`. */
export function formatTuple(tuple: FlowTuple, arrow = '<->'): string {
  const endpoint = (e: Endpoint): string => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
  const vlan = tuple.vlanId > 0 ? ` [VLAN: ${tuple.vlanId}]` : '';
  return `${ipProtocolName(tuple.ipProtocol)} ${endpoint(tuple.a)} ${arrow} ${endpoint(tuple.b)}${vlan}`;
}
