import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetifydError, PAYLOAD_TYPES } from '@netifyd/plugin-sdk';
import type { MessageType, Payload, PayloadType } from '@netifyd/plugin-sdk';

/**
 * A channel's undelivered backlog on disk, so a restart does not lose it. File
 * `<dir>/<channel>.spool` (channel URI-encoded), mode 0600:
 *   line 1: `netifyd-ts-spool 1`
 *   per payload: a JSON line `{"message","types","format","compressor","length"}`,
 *   then `length` raw bytes of `data`, then `\n`.
 * Written once at stop (temporary file + rename), read and removed at start.
 */
const MAGIC = 'netifyd-ts-spool 1\n';
const NEWLINE = 0x0a;

export function spoolFile(dir: string, channel: string): string {
  return join(dir, `${encodeURIComponent(channel)}.spool`);
}

export async function ensureSpoolDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

export async function writeSpool(dir: string, channel: string, payloads: readonly Payload[]): Promise<void> {
  const file = spoolFile(dir, channel);
  if (payloads.length === 0) {
    await rm(file, { force: true });
    return;
  }
  const parts: Uint8Array[] = [Buffer.from(MAGIC)];
  for (const payload of payloads) {
    const header = {
      message: payload.message,
      types: payload.types,
      format: payload.format,
      compressor: payload.compressor,
      length: payload.data.byteLength,
    };
    parts.push(Buffer.from(`${JSON.stringify(header)}\n`), payload.data, Buffer.from('\n'));
  }
  const temporary = `${file}.tmp`;
  await writeFile(temporary, Buffer.concat(parts), { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Reads and removes a channel's spool. Returns [] when there is none. A damaged file is
 * renamed `<file>.corrupt` (kept for inspection) and reported with code ERR_SPOOL_CORRUPT.
 */
export async function takeSpool(dir: string, channel: string): Promise<Payload[]> {
  const file = spoolFile(dir, channel);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const payloads = decodeSpool(bytes);
    await rm(file, { force: true });
    return payloads;
  } catch (error) {
    await rename(file, `${file}.corrupt`);
    throw new NetifydError('ERR_SPOOL_CORRUPT', `${file}: ${(error as Error).message}; moved to ${file}.corrupt`);
  }
}

function decodeSpool(bytes: Buffer): Payload[] {
  if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new Error('not a spool file');
  const payloads: Payload[] = [];
  let offset = MAGIC.length;
  while (offset < bytes.length) {
    const end = bytes.indexOf(NEWLINE, offset);
    if (end < 0) throw new Error(`truncated record header at byte ${offset}`);
    const header = parseHeader(bytes.subarray(offset, end).toString('utf8'), offset);
    const start = end + 1;
    if (start + header.length + 1 > bytes.length || bytes[start + header.length] !== NEWLINE) {
      throw new Error(`truncated record at byte ${offset}`);
    }
    payloads.push({
      message: header.message,
      types: header.types,
      format: header.format,
      compressor: header.compressor,
      // Copy: the record must not pin the whole file buffer in memory.
      data: Uint8Array.prototype.slice.call(bytes, start, start + header.length),
    });
    offset = start + header.length + 1;
  }
  return payloads;
}

interface RecordHeader {
  message: MessageType;
  types: PayloadType[];
  format: Payload['format'];
  compressor: Payload['compressor'];
  length: number;
}

function parseHeader(text: string, offset: number): RecordHeader {
  const header = JSON.parse(text) as Partial<RecordHeader>;
  const valid =
    typeof header.message === 'string' &&
    Array.isArray(header.types) &&
    header.types.every((type) => PAYLOAD_TYPES.includes(type)) &&
    (header.format === 'json' || header.format === 'msgpack') &&
    (header.compressor === 'none' || header.compressor === 'gz') &&
    Number.isSafeInteger(header.length) &&
    (header.length ?? -1) >= 0;
  if (!valid) throw new Error(`bad record header at byte ${offset}`);
  return header as RecordHeader;
}
