import { gzipSync } from 'fflate';
import { Packr } from 'msgpackr';
import type { MessageType, PayloadCompressor, PayloadFormat } from '@netifyd/plugin-sdk';
import { ByteChunks } from './byte-chunks.js';
import type { FlowEnvelope } from './flow-envelope.js';
import { encodeJson, stringifyIfOrdered } from './json-encoder.js';

/**
 * Plain msgpack maps (no records extension), so any msgpack decoder reads the output;
 * `undefined` properties are left out and `undefined` array items become nil, as JSON does.
 */
const packrOptions = {
  useRecords: false,
  variableMapSize: true,
  // Supported by msgpackr ≥ 1.10 though missing from its type declarations.
  skipValues: [undefined],
  encodeUndefinedAsNil: true,
};
const packr = new Packr(packrOptions);
const chunks = new ByteChunks();

/** Encodes one message in a channel's format, then compresses it. */
export function encodeMessage(message: object, format: PayloadFormat, compressor: PayloadCompressor): Uint8Array {
  const raw: Uint8Array = format === 'json' ? jsonBytes(message) : packr.pack(message);
  return compressor === 'gz' ? gzipSync(raw) : raw;
}

/** encodeMessage for a flow envelope's message of this type (same bytes, the flow written once). */
export function encodeEnvelope(envelope: FlowEnvelope, type: MessageType, format: PayloadFormat, compressor: PayloadCompressor): Uint8Array {
  const raw: Uint8Array = format === 'json' ? envelope.jsonBytes(type, chunks) : packr.pack(envelope.message(type));
  return compressor === 'gz' ? gzipSync(raw) : raw;
}

/** encodeJson's text as bytes (it is ASCII only); the native path first, checked for ASCII as it is written. */
function jsonBytes(message: object): Uint8Array {
  const text = stringifyIfOrdered(message);
  return (text !== undefined && chunks.ascii(text)) || chunks.latin1(encodeJson(message));
}

/** `json/none`, `msgpack/gz`, …: channels with the same key share one encoding. */
export function encodingKey(format: PayloadFormat, compressor: PayloadCompressor): string {
  return `${format}/${compressor}`;
}
