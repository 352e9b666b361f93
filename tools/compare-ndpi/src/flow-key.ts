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

export function sameEndpoint(x: Endpoint, y: Endpoint): boolean {
  return x.port === y.port && normalizeIp(x.ip) === normalizeIp(y.ip);
}

/** ndpiReader's spelling of a tuple, e.g. `UDP [fe80::1]:546 -> [ff02::1:2]:547 [VLAN: 7]`. */
export function formatTuple(tuple: FlowTuple, arrow = '<->'): string {
  const endpoint = (e: Endpoint): string => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
  const vlan = tuple.vlanId > 0 ? ` [VLAN: ${tuple.vlanId}]` : '';
  return `${ipProtocolName(tuple.ipProtocol)} ${endpoint(tuple.a)} ${arrow} ${endpoint(tuple.b)}${vlan}`;
}
