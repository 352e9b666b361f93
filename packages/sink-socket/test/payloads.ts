import { gzipSync } from 'node:zlib';
import { pack } from 'msgpackr';
import type { MessageType, Payload, PayloadCompressor, PayloadFormat } from '@netifyd/plugin-sdk';

/** A payload as proc-core would hand it over: one encoded message, optionally gzipped. */
export function makePayload(
  message: Record<string, unknown> & { type: MessageType },
  format: PayloadFormat = 'json',
  compressor: PayloadCompressor = 'none',
): Payload {
  const encoded = format === 'json' ? Buffer.from(JSON.stringify(message)) : pack(message);
  return {
    message: message.type,
    types: ['stream-flows'],
    format,
    compressor,
    data: compressor === 'gz' ? gzipSync(encoded) : encoded,
  };
}

export function flowMessage(sequence: number, padding = 0): Record<string, unknown> & { type: 'flow' } {
  return {
    type: 'flow',
    interface: 'offline0',
    internal: true,
    established: false,
    flow: { digest: sequence.toString(16).padStart(40, '0'), sequence, padding: 'x'.repeat(padding) },
  };
}
