import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Copies a classic pcap file, moving every packet after the first `gapS` seconds later.
 * Replayed at capture pace (`-r`), the agent then waits that long after the first packet, so
 * socket clients can connect before any flow exists. The packets themselves are untouched.
 */
export function writeWithLeadingGap(source: string, target: string, gapS: number): void {
  const data = Buffer.from(readFileSync(source));
  const magic = data.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${source}: not a little-endian classic pcap file`);
  let offset = 24;
  let index = 0;
  while (offset + 16 <= data.length) {
    if (index++ > 0) data.writeUInt32LE(data.readUInt32LE(offset) + gapS, offset);
    offset += 16 + data.readUInt32LE(offset + 8);
  }
  writeFileSync(target, data);
}
