import { gzipSync } from 'node:zlib';
import type { Payload } from '@netifyd/plugin-sdk';
import type { Framing } from './schema.js';

const NEWLINE = new Uint8Array([0x0a]);
/** A gzip member holding "\n": appended after each compressed JSON message, the stream gunzips to JSON lines. */
const GZIP_NEWLINE = new Uint8Array(gzipSync(NEWLINE));
/** msgpack fixmap(1) + fixstr(6) "length". */
const MSGPACK_LENGTH_KEY = new Uint8Array([0x81, 0xa6, ...Buffer.from('length')]);

/**
 * One message as written to a stream socket (FORMATS §8).
 *
 * netifyd framing:
 * - JSON: `{"length":N}\n` + message + `\n`; N counts the message and its newline, so a
 *   length reader reads N bytes and a line reader sees two JSON lines.
 * - msgpack: the msgpack map `{"length":N}` + the N message bytes; no newlines.
 * - gzip: the header stays uncompressed (JSON line or msgpack map as above) and N counts
 *   the compressed bytes that follow; nothing after them.
 *
 * lines framing: the same bytes sink-log writes to a file: JSON lines (gzip: each
 * message followed by a gzip "\n" member, so the stream gunzips to JSON lines), msgpack
 * values back to back.
 */
export function encodeStreamFrame(payload: Payload, framing: Framing): Uint8Array {
  const { data } = payload;
  if (framing === 'lines') {
    if (payload.format !== 'json') return data;
    return Buffer.concat([data, payload.compressor === 'gz' ? GZIP_NEWLINE : NEWLINE]);
  }
  if (payload.format === 'msgpack') return Buffer.concat([msgpackLengthHeader(data.byteLength), data]);
  if (payload.compressor === 'gz') return Buffer.concat([jsonLengthHeader(data.byteLength), data]);
  return Buffer.concat([jsonLengthHeader(data.byteLength + 1), data, NEWLINE]);
}

function jsonLengthHeader(length: number): Uint8Array {
  return Buffer.from(`{"length":${length}}\n`);
}

/** `{"length": N}` as msgpack, N in the smallest unsigned encoding. */
export function msgpackLengthHeader(length: number): Uint8Array {
  let value: Buffer;
  if (length < 0x80) {
    value = Buffer.from([length]);
  } else if (length <= 0xff) {
    value = Buffer.from([0xcc, length]);
  } else if (length <= 0xffff) {
    value = Buffer.alloc(3);
    value[0] = 0xcd;
    value.writeUInt16BE(length, 1);
  } else {
    value = Buffer.alloc(5);
    value[0] = 0xce;
    value.writeUInt32BE(length, 1);
  }
  return Buffer.concat([MSGPACK_LENGTH_KEY, value]);
}

/** WebSocket text frames for plain JSON; binary for msgpack and anything compressed. */
export function isTextPayload(payload: Payload): boolean {
  return payload.format === 'json' && payload.compressor === 'none';
}
