import { open } from 'node:fs/promises';
import { BenchError } from './errors.js';

const CHUNK = 1 << 20;
const RECORD_HEADER = 16;

/** Byte order of a classic pcap file from its magic number (µs or ns variant); undefined otherwise. */
function littleEndian(magic: Buffer): boolean | undefined {
  const hex = magic.toString('hex');
  if (hex === 'd4c3b2a1' || hex === '4d3cb2a1') return true;
  if (hex === 'a1b2c3d4' || hex === 'a1b23c4d') return false;
  return undefined;
}

/** Counts the records of a classic pcap file (a truncated last record is not counted). */
export async function countPcapPackets(path: string): Promise<number> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new BenchError('ERR_BENCH_CAPTURE', `cannot open ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const header = Buffer.alloc(24);
    const { bytesRead: headerBytes } = await file.read(header, 0, 24, 0);
    const le = headerBytes === 24 ? littleEndian(header.subarray(0, 4)) : undefined;
    if (le === undefined) throw new BenchError('ERR_BENCH_CAPTURE', `${path}: not a classic pcap file`);
    const chunk = Buffer.alloc(CHUNK);
    let position = 24;
    let packets = 0;
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, CHUNK, position);
      let offset = 0;
      while (offset + RECORD_HEADER <= bytesRead) {
        const captured = le ? chunk.readUInt32LE(offset + 8) : chunk.readUInt32BE(offset + 8);
        if (offset + RECORD_HEADER + captured > bytesRead) break;
        packets++;
        offset += RECORD_HEADER + captured;
      }
      if (offset === 0) {
        if (bytesRead === CHUNK) throw new BenchError('ERR_BENCH_CAPTURE', `${path}: record at byte ${position} is larger than ${CHUNK} bytes`);
        return packets;
      }
      position += offset;
    }
  } finally {
    await file.close();
  }
}
