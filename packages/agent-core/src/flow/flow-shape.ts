import type { Flow } from '@netifyd/plugin-sdk';

/** The protocol objects of a flow: present only when they apply (the protocol decides which). */
const PROTOCOL_OBJECT_KEYS = ['bt', 'dhcp', 'http', 'mdns', 'ssdp', 'ssh', 'ssl'] as const;
type ProtocolObjectKey = (typeof PROTOCOL_OBJECT_KEYS)[number];

/** Keys whose value never changes: written into the object as constants. */
const CONSTANTS = {
  app_ip_override: 'false',
  app_proto_twins: 'false',
  digest_prev: '[]',
  fhc_hit: 'false',
  ip_nat: 'false',
  soft_dissector: 'false',
} as const;
type ConstantKey = keyof typeof CONSTANTS;

/** Every key of the flow object (encoding A), in byte order. */
export const FLOW_KEYS: ReadonlyArray<keyof Flow> = [
  'app_ip_override', 'app_proto_twins', 'bt', 'category', 'detected_application', 'detected_application_name',
  'detected_protocol', 'detected_protocol_name', 'detection_guessed', 'detection_packets', 'detection_updated',
  'dhc_hit', 'dhcp', 'digest', 'digest_prev', 'dns_host_name', 'fhc_hit', 'first_seen_at', 'host_server_name', 'http',
  'ip_dscp', 'ip_nat', 'ip_protocol', 'ip_version', 'last_seen_at', 'local_bytes', 'local_ip', 'local_mac',
  'local_origin', 'local_packets', 'local_port', 'local_rate', 'mdns', 'other_bytes', 'other_ip', 'other_mac',
  'other_packets', 'other_port', 'other_rate', 'other_type', 'risks', 'soft_dissector', 'ssdp', 'ssh', 'ssl',
  'total_bytes', 'total_packets', 'vlan_id',
];

/** A flow's values but the constants; protocol objects that do not apply are undefined. */
export type FlowFields = Omit<Flow, ConstantKey | ProtocolObjectKey> & { [K in ProtocolObjectKey]: Flow[K] | undefined };

/** Builds the flow object of one shape (one set of protocol objects present). */
export type FlowShapeBuilder = (fields: FlowFields) => Flow;

/**
 * One object literal per shape, generated from FLOW_KEYS. Added key by key, a 48-key object
 * regrows its property store about fifteen times (several KB of garbage per flow), and every
 * store after the first optional key meets several shapes; a literal is allocated once at
 * its final size. Without code generation (`--disallow-code-generation-from-strings`) the
 * keys are added in a loop: the same object, built more slowly.
 */
export function shapeBuilder(keys: readonly (keyof Flow)[], generate = true): FlowShapeBuilder {
  if (generate) {
    const members = keys.map((key) => `${key}: ${isConstant(key) ? CONSTANTS[key] : `fields.${key}`}`);
    try {
      return new Function('fields', `return { ${members.join(', ')} };`) as FlowShapeBuilder;
    } catch {
      // Code generation from strings is disallowed: fall through.
    }
  }
  return (fields) => {
    const flow: Record<string, unknown> = {};
    for (const key of keys) flow[key] = isConstant(key) ? constantValue(key) : fields[key];
    return flow as unknown as Flow;
  };
}

/** The keys of the flow object that has these protocol objects (a bit per PROTOCOL_OBJECT_KEYS entry). */
export function shapeKeys(present: number): Array<keyof Flow> {
  return FLOW_KEYS.filter((key) => {
    const bit = PROTOCOL_OBJECT_KEYS.indexOf(key as ProtocolObjectKey);
    return bit < 0 || (present & (1 << bit)) !== 0;
  });
}

const builders: Array<FlowShapeBuilder | undefined> = [];

/** The flow object for `fields`: its keys in byte order, protocol objects only when defined. */
export function flowFromFields(fields: FlowFields): Flow {
  let present = 0;
  for (let bit = 0; bit < PROTOCOL_OBJECT_KEYS.length; bit++) {
    if (fields[PROTOCOL_OBJECT_KEYS[bit]!] !== undefined) present |= 1 << bit;
  }
  const builder = (builders[present] ??= shapeBuilder(shapeKeys(present)));
  return builder(fields);
}

function isConstant(key: keyof Flow): key is ConstantKey {
  return Object.hasOwn(CONSTANTS, key);
}

function constantValue(key: ConstantKey): boolean | string[] {
  return key === 'digest_prev' ? [] : false;
}
