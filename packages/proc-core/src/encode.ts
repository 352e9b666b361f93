import { gzipSync } from 'fflate';
import { Packr } from 'msgpackr';
import type { PayloadCompressor, PayloadFormat } from '@netifyd/plugin-sdk';
import { encodeJson } from './json-encoder.js';

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

/** Encodes one message in a channel's format, then compresses it. */
export function encodeMessage(message: object, format: PayloadFormat, compressor: PayloadCompressor): Uint8Array {
  const raw: Uint8Array = format === 'json' ? Buffer.from(encodeJson(message), 'latin1') : packr.pack(message);
  return compressor === 'gz' ? gzipSync(raw) : raw;
}

/** `json/none`, `msgpack/gz`, …: channels with the same key share one encoding. */
export function encodingKey(format: PayloadFormat, compressor: PayloadCompressor): string {
  return `${format}/${compressor}`;
}
