// Builders for the packets of the generated captures (checksums left zero: nothing checks them).

export const MAC_A = '02:00:00:00:00:0a';
export const MAC_B = '02:00:00:00:00:0b';

function mac(s: string): Buffer {
  return Buffer.from(s.split(':').map((h) => parseInt(h, 16)));
}

export function ipv4Bytes(s: string): Buffer {
  return Buffer.from(s.split('.').map(Number));
}

export function ipv6Bytes(s: string): Buffer {
  const [head = '', tail = ''] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = s.includes('::') && tail ? tail.split(':') : [];
  const groups = s.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export function ethernet(type: number, payload: Buffer, src = MAC_A, dst = MAC_B): Buffer {
  const h = Buffer.alloc(14);
  mac(dst).copy(h, 0);
  mac(src).copy(h, 6);
  h.writeUInt16BE(type, 12);
  return Buffer.concat([h, payload]);
}

/** An 802.1Q (or 802.1ad with tpid 0x88a8) tag: the TPID goes in the enclosing header. */
export function vlanTag(vlanId: number, innerType: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(vlanId & 0x0fff, 0);
  h.writeUInt16BE(innerType, 2);
  return Buffer.concat([h, payload]);
}

export function mplsLabels(labels: number[], payload: Buffer): Buffer {
  const h = Buffer.alloc(4 * labels.length);
  labels.forEach((label, i) => h.writeUInt32BE(((label << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64) >>> 0, i * 4));
  return Buffer.concat([h, payload]);
}

export function pppoeSession(pppProtocol: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt8(0x11, 0);
  h.writeUInt16BE(0x1234, 2);
  h.writeUInt16BE(payload.length + 2, 4);
  h.writeUInt16BE(pppProtocol, 6);
  return Buffer.concat([h, payload]);
}

export interface Ipv4Options {
  src: string;
  dst: string;
  protocol: number;
  payload: Buffer;
  id?: number;
  moreFragments?: boolean;
  fragmentOffset?: number;
  tos?: number;
  /** Overrides the total length field (to build malformed packets). */
  totalLength?: number;
}

export function ipv4(o: Ipv4Options): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt8(0x45, 0);
  h.writeUInt8(o.tos ?? 0, 1);
  h.writeUInt16BE(o.totalLength ?? 20 + o.payload.length, 2);
  h.writeUInt16BE(o.id ?? 1, 4);
  h.writeUInt16BE((o.moreFragments ? 0x2000 : 0) | ((o.fragmentOffset ?? 0) >> 3), 6);
  h.writeUInt8(64, 8);
  h.writeUInt8(o.protocol, 9);
  ipv4Bytes(o.src).copy(h, 12);
  ipv4Bytes(o.dst).copy(h, 16);
  return Buffer.concat([h, o.payload]);
}

/** IPv6 with optional extension headers given as [type, bytes] in order. */
export function ipv6(o: { src: string; dst: string; nextHeader: number; payload: Buffer; extensions?: Array<[number, Buffer]> }): Buffer {
  const ext = o.extensions ?? [];
  const chain: Buffer[] = [];
  for (let i = 0; i < ext.length; i++) {
    const [, body] = ext[i] as [number, Buffer];
    const next = i + 1 < ext.length ? (ext[i + 1] as [number, Buffer])[0] : o.nextHeader;
    const b = Buffer.from(body);
    b.writeUInt8(next, 0);
    chain.push(b);
  }
  const rest = Buffer.concat([...chain, o.payload]);
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(rest.length, 4);
  h.writeUInt8(ext.length ? (ext[0] as [number, Buffer])[0] : o.nextHeader, 6);
  h.writeUInt8(64, 7);
  ipv6Bytes(o.src).copy(h, 8);
  ipv6Bytes(o.dst).copy(h, 24);
  return Buffer.concat([h, rest]);
}

/** An IPv6 fragment extension header body (8 bytes; next header filled by ipv6()). */
export function ipv6Fragment(offset: number, more: boolean, id = 7): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE((offset & ~7) | (more ? 1 : 0), 2);
  b.writeUInt32BE(id, 4);
  return b;
}

/** A hop-by-hop / destination options header of 8 bytes (PadN). */
export function ipv6Options(): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(0, 1);
  b.writeUInt8(1, 2);
  b.writeUInt8(4, 3);
  return b;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export function tcp(o: { sport: number; dport: number; flags: number; seq?: number; ack?: number; payload?: Buffer }): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(o.sport, 0);
  h.writeUInt16BE(o.dport, 2);
  h.writeUInt32BE((o.seq ?? 1000) >>> 0, 4);
  h.writeUInt32BE((o.ack ?? 0) >>> 0, 8);
  h.writeUInt8(5 << 4, 12);
  h.writeUInt8(o.flags, 13);
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, o.payload ?? Buffer.alloc(0)]);
}

export function udp(sport: number, dport: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

export function icmpEcho(type: number, id: number, seq: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(type, 0);
  b.writeUInt16BE(id, 4);
  b.writeUInt16BE(seq, 6);
  return b;
}

/** A DNS query for `name` (type A, recursion desired). */
export function dnsQuery(name: string, id = 0x1234): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x0100, 2);
  h.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(1, 1);
  tail.writeUInt16BE(1, 3);
  return Buffer.concat([h, ...labels, tail]);
}

export function gre(protocolType: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(protocolType, 2);
  return Buffer.concat([h, payload]);
}

export function gtpU(teid: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt8(0x30, 0);
  h.writeUInt8(0xff, 1);
  h.writeUInt16BE(payload.length, 2);
  h.writeUInt32BE(teid, 4);
  return Buffer.concat([h, payload]);
}

/** TZSP carrying an Ethernet frame, with a padding tag then END. */
export function tzsp(frame: Buffer): Buffer {
  return Buffer.concat([Buffer.from([1, 0, 0, 1, 0, 1]), frame]);
}

export function linuxSll(protocol: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0);
  h.writeUInt16BE(1, 2);
  h.writeUInt16BE(6, 4);
  mac(MAC_A).copy(h, 6);
  h.writeUInt16BE(protocol, 14);
  return Buffer.concat([h, payload]);
}

export function linuxSll2(protocol: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(protocol, 0);
  h.writeUInt32BE(2, 4);
  h.writeUInt16BE(1, 8);
  h.writeUInt8(6, 11);
  mac(MAC_A).copy(h, 12);
  return Buffer.concat([h, payload]);
}

/** BSD loopback header: address family in host (little-endian) order. */
export function nullLoop(family: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(family, 0);
  return Buffer.concat([h, payload]);
}
