// Writes classic pcap files (microsecond timestamps) for the tests' generated captures.
import { writeFileSync } from 'node:fs';

export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  PPP: 9,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export interface PcapPacket {
  /** Capture time in microseconds since the epoch. */
  timeUs: number;
  data: Buffer;
  /** Length on the wire; defaults to data.length (set it larger to model a snaplen cut). */
  wireLength?: number;
}

export function pcapBytes(linktype: number, packets: PcapPacket[], snaplen = 65535): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snaplen, 16);
  header.writeUInt32LE(linktype, 20);
  const parts: Buffer[] = [header];
  for (const p of packets) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.timeUs / 1e6), 0);
    rec.writeUInt32LE(p.timeUs % 1e6, 4);
    rec.writeUInt32LE(p.data.length, 8);
    rec.writeUInt32LE(p.wireLength ?? p.data.length, 12);
    parts.push(rec, p.data);
  }
  return Buffer.concat(parts);
}

export function writePcap(path: string, linktype: number, packets: PcapPacket[]): string {
  writeFileSync(path, pcapBytes(linktype, packets));
  return path;
}
