import { gzipSync } from 'node:zlib';
import type { MessageType } from '../messages.js';
import type { Payload, PayloadCompressor, PayloadFormat, PayloadType } from '../payload.js';

export interface PayloadOptions {
  /** Payload types the message was routed for; default `['stream-flows']`. */
  readonly types?: readonly PayloadType[];
  /** `gz` compresses the encoded bytes, as proc-core does; default `none`. */
  readonly compressor?: PayloadCompressor;
}

/** A payload as proc-core hands it over: `value` as JSON text (no trailing newline). */
export function jsonPayload(message: MessageType, value: unknown, options: PayloadOptions = {}): Payload {
  return encodedPayload(message, 'json', Buffer.from(JSON.stringify(value)), options);
}

/** A payload of bytes encoded by the caller (e.g. msgpackr's `pack(value)` for `msgpack`). */
export function encodedPayload(message: MessageType, format: PayloadFormat, encoded: Uint8Array, options: PayloadOptions = {}): Payload {
  const compressor = options.compressor ?? 'none';
  return {
    message,
    types: options.types ?? ['stream-flows'],
    format,
    compressor,
    data: compressor === 'gz' ? gzipSync(encoded) : encoded,
  };
}

/** A `flow` message shaped like netifyd's envelope, told apart by `flow.sequence`. */
export interface TestFlowMessage {
  type: 'flow';
  interface: string;
  internal: boolean;
  established: boolean;
  flow: { digest: string; sequence: number; padding: string };
}

export function flowMessage(sequence: number, padding = 0): TestFlowMessage {
  return {
    type: 'flow',
    interface: 'offline0',
    internal: true,
    established: false,
    flow: { digest: sequence.toString(16).padStart(40, '0'), sequence, padding: 'x'.repeat(padding) },
  };
}

/**
 * A JSON `flow` payload of exactly `size` bytes (default 200; never less than the
 * unpadded message), for tests of byte budgets.
 */
export function flowPayload(sequence: number, options: PayloadOptions & { size?: number } = {}): Payload {
  const unpadded = JSON.stringify(flowMessage(sequence)).length;
  return jsonPayload('flow', flowMessage(sequence, Math.max(0, (options.size ?? 200) - unpadded)), options);
}

/** The `flow.sequence` of a message from flowMessage/flowPayload, parsed or as JSON bytes. */
export function sequenceOf(message: Uint8Array | object): number {
  const value = message instanceof Uint8Array ? (JSON.parse(Buffer.from(message).toString('utf8')) as unknown) : message;
  const sequence = (value as { flow?: { sequence?: unknown } }).flow?.sequence;
  if (typeof sequence !== 'number') throw new TypeError(`not a test flow message: ${JSON.stringify(value).slice(0, 80)}`);
  return sequence;
}
