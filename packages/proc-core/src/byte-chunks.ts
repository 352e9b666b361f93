/**
 * Payload bytes carved out of shared chunks: one allocation per CHUNK_BYTES instead of one
 * (or a pool slab) per message. A payload is a view on its chunk; the chunk is freed once
 * every payload in it has been let go of.
 */
const CHUNK_BYTES = 256 * 1024;

export class ByteChunks {
  private chunk: Buffer = Buffer.allocUnsafe(0);
  private offset = 0;

  /** `text` as bytes if it is all ASCII (then UTF-8 and Latin-1 agree); undefined otherwise. */
  ascii(text: string): Uint8Array | undefined {
    // UTF-8 needs up to 3 bytes per UTF-16 unit; only an all-ASCII text comes out 1:1.
    this.reserve(text.length * 3);
    const written = this.chunk.write(text, this.offset, 'utf8');
    return written === text.length ? this.take(written) : undefined;
  }

  /** `text`, whose units are all below U+0100, one byte each. */
  latin1(text: string): Uint8Array {
    this.reserve(text.length);
    return this.take(this.chunk.write(text, this.offset, 'latin1'));
  }

  private reserve(bytes: number): void {
    if (this.chunk.length - this.offset >= bytes) return;
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    this.offset = 0;
  }

  private take(bytes: number): Uint8Array {
    const view = this.chunk.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return view;
  }
}
