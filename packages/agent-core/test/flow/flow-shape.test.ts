// Ensures the flow object is built with the same keys, order and values whether by the
// generated per-shape literal or key by key (the path without code generation), for every
// shape: no protocol object, each one alone, and several at once.
import type { Flow } from '@netifyd/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { FLOW_KEYS, flowFromFields, shapeBuilder, shapeKeys, type FlowFields } from '../../src/flow/flow-shape.js';
import { expectKeysInByteOrder } from './key-order.js';

const PROTOCOL_OBJECTS = { bt: { info_hash: 'ab'.repeat(20) }, dhcp: { class_ident: 'c', fingerprint: '1,3' }, http: { url: 'a/b', user_agent: 'u' }, mdns: { answer: 'printer.local' }, ssdp: { user_agent: 'upnp' }, ssh: { client: 'SSH-2.0-x' }, ssl: { cipher_suite: '0xc02f', version: '0x0303' } };
type ProtocolKey = keyof typeof PROTOCOL_OBJECTS;

function fields(present: readonly ProtocolKey[]): FlowFields {
  const values: Record<string, unknown> = {
    category: { application: 1, domain: 2, overlay: 0, protocol: 3 },
    detected_application: 10, detected_application_name: 'netify.example', detected_protocol: 196, detected_protocol_name: 'HTTP/S',
    detection_guessed: false, detection_packets: 7, detection_updated: true, dhc_hit: true, digest: 'd'.repeat(40),
    dns_host_name: 'example.com', first_seen_at: 1_700_000_000_000, host_server_name: 'example.com', ip_dscp: 0,
    ip_protocol: 6, ip_version: 4, last_seen_at: 1_700_000_001_500.5, local_bytes: 1, local_ip: '192.168.1.2',
    local_mac: '02:00:00:00:00:01', local_origin: true, local_packets: 2, local_port: 5000, local_rate: 3, other_bytes: 4,
    other_ip: '192.0.2.1', other_mac: '02:00:00:00:00:02', other_packets: 5, other_port: 443, other_rate: 6,
    other_type: 'remote', risks: { ndpi_risk_score: 1, ndpi_risk_score_client: 0, ndpi_risk_score_server: 1, risks: [4] },
    total_bytes: 5, total_packets: 7, vlan_id: 0,
  };
  for (const key of Object.keys(PROTOCOL_OBJECTS) as ProtocolKey[]) values[key] = present.includes(key) ? PROTOCOL_OBJECTS[key] : undefined;
  return values as unknown as FlowFields;
}

const SHAPES: ProtocolKey[][] = [[], ...(Object.keys(PROTOCOL_OBJECTS) as ProtocolKey[]).map((key) => [key]), ['http', 'ssl'], ['bt', 'dhcp', 'mdns', 'ssh']];

describe('flow shapes', () => {
  it('lists every flow key once, in byte order', () => {
    expect(FLOW_KEYS).toEqual([...new Set(FLOW_KEYS)].sort());
    expect(FLOW_KEYS).toHaveLength(48);
  });

  it.each(SHAPES.map((present) => [present.join('+') || 'no protocol object', present] as const))('%s: generated literal and key-by-key build equal objects', (_name, present) => {
    const input = fields(present);
    const flow = flowFromFields(input);
    const keys = Object.keys(flow);
    expect(keys).toEqual(FLOW_KEYS.filter((key) => !(key in PROTOCOL_OBJECTS) || present.includes(key as ProtocolKey)));
    expectKeysInByteOrder(flow);
    expect(flow).toMatchObject({ app_ip_override: false, app_proto_twins: false, digest_prev: [], fhc_hit: false, ip_nat: false, soft_dissector: false, last_seen_at: 1_700_000_001_500.5 });
    for (const key of present) expect(flow[key]).toBe(PROTOCOL_OBJECTS[key]);
    const mask = present.reduce((bits, key) => bits | (1 << Object.keys(PROTOCOL_OBJECTS).indexOf(key)), 0);
    const byKeys = shapeBuilder(shapeKeys(mask), false)(input);
    expect(Object.keys(byKeys)).toEqual(keys);
    expect(JSON.stringify(byKeys)).toBe(JSON.stringify(flow));
  });

  it('gives each flow its own digest_prev array', () => {
    const first: Flow = flowFromFields(fields([]));
    const second: Flow = flowFromFields(fields([]));
    expect(first.digest_prev).not.toBe(second.digest_prev);
    expect(shapeBuilder(shapeKeys(0), false)(fields([])).digest_prev).not.toBe(first.digest_prev);
  });
});
