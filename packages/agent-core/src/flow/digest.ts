import { createHash } from 'node:crypto';

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
  const name = Buffer.from(input.interfaceName, 'utf8');
  const size = input.lowerAddress.length * 2;
  const buffer = Buffer.allocUnsafe(name.length + 4 + size + (withMac ? 6 : 0) + 4);
  let offset = name.copy(buffer, 0);
  buffer[offset++] = input.ipVersion;
  buffer[offset++] = input.ipProtocol & 0xff;
  offset = buffer.writeUInt16LE(input.vlanId & 0xffff, offset);
  buffer.set(input.lowerAddress, offset);
  offset += input.lowerAddress.length;
  buffer.set(input.upperAddress, offset);
  offset += input.upperAddress.length;
  if (withMac && input.lowerMac) {
    buffer.set(input.lowerMac, offset);
    offset += 6;
  }
  offset = buffer.writeUInt16BE(input.lowerPort & 0xffff, offset);
  buffer.writeUInt16BE(input.upperPort & 0xffff, offset);
  return createHash('sha1').update(buffer).digest('hex');
}
