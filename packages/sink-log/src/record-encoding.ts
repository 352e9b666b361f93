import { gzipSync } from 'node:zlib';
import { payloadExtension, type Payload } from '@netifyd/plugin-sdk';

const NEWLINE = new Uint8Array([0x0a]);
/**
 * A gzip member holding just "\n". Concatenated gzip members form one valid gzip
 * stream, so appending this after each compressed JSON payload makes the file
 * decompress to one JSON document per line, as an uncompressed file reads.
 */
const GZIP_NEWLINE = new Uint8Array(gzipSync(NEWLINE));

/** One payload as the bytes it occupies in a log file. */
export interface LogRecord {
  readonly chunks: readonly Uint8Array[];
  readonly bytes: number;
}

/** JSON: one message per line. msgpack: values back to back (each is self-delimiting). */
export function encodeRecord(payload: Payload): LogRecord {
  if (payload.format !== 'json') return { chunks: [payload.data], bytes: payload.data.byteLength };
  const separator = payload.compressor === 'gz' ? GZIP_NEWLINE : NEWLINE;
  return { chunks: [payload.data, separator], bytes: payload.data.byteLength + separator.byteLength };
}

/** `.json`, `.msgpack`, plus `.gz` when compressed. */
export function recordExtension(payload: Payload): string {
  return payloadExtension(payload.format, payload.compressor);
}
