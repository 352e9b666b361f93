import type { MessageType } from './messages.js';

/** Payload types a proc-core channel subscribes to (FORMATS §1.3). */
export type PayloadType = 'stream-flows' | 'stream-stats' | 'stream-endpoints' | 'legacy-socket' | 'legacy-http';

export const PAYLOAD_TYPES: readonly PayloadType[] = [
  'stream-flows',
  'stream-stats',
  'stream-endpoints',
  'legacy-socket',
  'legacy-http',
];

export type PayloadFormat = 'json' | 'msgpack';

export type PayloadCompressor = 'none' | 'gz';

/**
 * One encoded message on its way to a sink channel. `data` holds exactly one message
 * (JSON text without a trailing newline, or one msgpack value), gzip-compressed when
 * `compressor` is `gz`. Framing (newlines, length headers) is the sink's job.
 */
export interface Payload {
  /** The message's wire type, e.g. `flow` or `agent_status`. */
  readonly message: MessageType;
  /** The channel's payload types this message was routed for. */
  readonly types: readonly PayloadType[];
  readonly format: PayloadFormat;
  readonly compressor: PayloadCompressor;
  readonly data: Uint8Array;
}

/** File extension for a payload's encoding: `.json`, `.msgpack`, plus `.gz` when compressed. */
export function payloadExtension(format: PayloadFormat, compressor: PayloadCompressor): string {
  return `.${format}${compressor === 'gz' ? '.gz' : ''}`;
}

/** MIME type for a payload's format. */
export function payloadContentType(format: PayloadFormat): string {
  return format === 'json' ? 'application/json' : 'application/msgpack';
}
