import type { Payload } from '@netifyd/plugin-sdk';

/** A JSON `flow`-typed payload carrying a sequence number, padded to about `size` bytes. */
export function seqPayload(seq: number, size = 200): Payload {
  const base = JSON.stringify({ type: 'flow', seq, pad: '' });
  const text = JSON.stringify({ type: 'flow', seq, pad: 'x'.repeat(Math.max(0, size - base.length)) });
  return { message: 'flow', types: ['stream-flows'], format: 'json', compressor: 'none', data: Buffer.from(text) };
}

export function seqOf(body: Buffer | Uint8Array): number {
  return (JSON.parse(Buffer.from(body).toString('utf8')) as { seq: number }).seq;
}
