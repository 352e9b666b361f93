import { gzipSync } from 'node:zlib';
import { payloadExtension, type Payload } from '@netifyd/plugin-sdk';

const NEWLINE = new Uint8Array([0x0a]);
const NOTHING = new Uint8Array(0);
/**
 * A gzip member holding just "\n". Concatenated gzip members form one valid gzip
 * stream, so appending this after each compressed JSON payload makes the file
 * decompress to one JSON document per line, as an uncompressed file reads.
 */
const GZIP_NEWLINE = new Uint8Array(gzipSync(NEWLINE));

/**
 * What follows a payload in a log file. JSON: one message per line. msgpack: nothing,
 * values back to back (each is self-delimiting).
 */
export function recordSeparator(payload: Payload): Uint8Array {
  if (payload.format !== 'json') return NOTHING;
  return payload.compressor === 'gz' ? GZIP_NEWLINE : NEWLINE;
}

/** `.json`, `.msgpack`, plus `.gz` when compressed. */
export function recordExtension(payload: Payload): string {
  return payloadExtension(payload.format, payload.compressor);
}
