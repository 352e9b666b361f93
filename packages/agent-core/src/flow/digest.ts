import * as crypto from 'node:crypto';

export interface DigestInput {
  /** Capture interface name (`eth0`, `offline0`). */
  readonly interfaceName: string;
  readonly ipVersion: 4 | 6;
  readonly ipProtocol: number;
  readonly vlanId: number;
  /** 4 or 16 bytes, network order. */
  readonly lowerAddress: Uint8Array;
  readonly upperAddress: Uint8Array;
  /** Six bytes; only used for 0.0.0.0 → 255.255.255.255 flows. */
  readonly lowerMac: Uint8Array | undefined;
  readonly lowerPort: number;
  readonly upperPort: number;
}

function isDhcpDiscover(lower: Uint8Array, upper: Uint8Array): boolean {
  return lower.length === 4 && (lower[0]! | lower[1]! | lower[2]! | lower[3]!) === 0 && (upper[0]! & upper[1]! & upper[2]! & upper[3]!) === 0xff;
}

/**
 * The flow digest (FORMATS §4.1, netifyd's pre-DPI hash): SHA-1 over the interface name,
 * ip version, ip protocol, VLAN id (2 bytes little-endian), lower and upper address, the
 * lower MAC for 0.0.0.0 → 255.255.255.255 flows (keeps concurrent DHCP DISCOVERs apart),
 * lower and upper port (2 bytes big-endian each); 40 lowercase hex characters.
 */
export function flowDigest(input: DigestInput): string {
  const withMac = input.lowerMac !== undefined && isDhcpDiscover(input.lowerAddress, input.upperAddress);
  const name = nameBytes(input.interfaceName);
  const size = name.length + 4 + input.lowerAddress.length * 2 + (withMac ? 6 : 0) + 4;
  // One scratch buffer for every digest: hashing is synchronous, nothing keeps it.
  if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
  let offset = name.copy(scratch, 0);
  scratch[offset++] = input.ipVersion;
  scratch[offset++] = input.ipProtocol & 0xff;
  offset = scratch.writeUInt16LE(input.vlanId & 0xffff, offset);
  scratch.set(input.lowerAddress, offset);
  offset += input.lowerAddress.length;
  scratch.set(input.upperAddress, offset);
  offset += input.upperAddress.length;
  if (withMac && input.lowerMac) {
    scratch.set(input.lowerMac, offset);
    offset += 6;
  }
  offset = scratch.writeUInt16BE(input.lowerPort & 0xffff, offset);
  offset = scratch.writeUInt16BE(input.upperPort & 0xffff, offset);
  return sha1Hex(scratch.subarray(0, offset));
}

let scratch = Buffer.allocUnsafe(64);
const names = new Map<string, Buffer>();

/** Interface names are few and repeat for every flow: encode each once. */
function nameBytes(interfaceName: string): Buffer {
  let bytes = names.get(interfaceName);
  if (!bytes) {
    bytes = Buffer.from(interfaceName, 'utf8');
    if (names.size < 256) names.set(interfaceName, bytes);
  }
  return bytes;
}

/** One-shot crypto.hash (Node ≥ 20.12) skips the Hash object; createHash before that. */
const sha1Hex: (data: Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha1', data, 'hex')
    : (data) => crypto.createHash('sha1').update(data).digest('hex');
