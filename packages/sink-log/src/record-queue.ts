/** Records are gathered into blocks of this size (a larger record gets a block of its own). */
export const BLOCK_BYTES = 1 << 20;

interface Block {
  readonly bytes: Buffer;
  /** Bytes written so far; appends go after this. */
  used: number;
  /** End offset of each record in the block, in order. */
  readonly ends: number[];
  /** Index in `ends` of the first record not yet taken. */
  first: number;
  /** Offset where the first record not yet taken begins. */
  start: number;
}

/** Whole records taken from the queue, as views on its blocks, oldest first. */
export interface TakenRecords {
  readonly chunks: Uint8Array[];
  readonly records: number;
  readonly bytes: number;
}

/**
 * A channel's records waiting for the disk. Each payload is copied once into large blocks
 * as it arrives, so the queue holds a few big buffers instead of an object, a view and a
 * chunk of the processor's memory per payload (tens of thousands a second) and a file gets
 * them in about one write per block. Taking hands out views on whole records; written
 * parts of a block are never written again, so a view stays valid while appends go on.
 */
export class RecordQueue {
  private blocks: Block[] = [];
  private queuedRecords = 0;
  private queuedBytes = 0;

  /** Records appended and not yet taken. */
  get records(): number {
    return this.queuedRecords;
  }

  /** Bytes of the records appended and not yet taken. */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Appends one record: `data` followed by `separator`. */
  append(data: Uint8Array, separator: Uint8Array): void {
    const size = data.byteLength + separator.byteLength;
    const block = this.blockWithRoom(size);
    block.bytes.set(data, block.used);
    block.bytes.set(separator, block.used + data.byteLength);
    block.used += size;
    block.ends.push(block.used);
    this.queuedRecords++;
    this.queuedBytes += size;
  }

  /**
   * The oldest whole records that fit in `room` bytes (all of them for Infinity); with
   * `atLeastOne`, the oldest record even when it alone is larger than `room`.
   */
  take(room: number, atLeastOne: boolean): TakenRecords {
    const chunks: Uint8Array[] = [];
    let records = 0;
    let bytes = 0;
    for (;;) {
      const block = this.blocks[0];
      if (!block) break;
      let end = block.start;
      let index = block.first;
      while (index < block.ends.length) {
        const size = block.ends[index]! - end;
        if (bytes + size > room && !(atLeastOne && records === 0)) break;
        bytes += size;
        end += size;
        index++;
        records++;
      }
      if (end > block.start) chunks.push(block.bytes.subarray(block.start, end));
      block.start = end;
      block.first = index;
      // Stopped inside the block, or took all of the block still being appended to.
      if (index < block.ends.length || this.blocks.length === 1) break;
      this.blocks.shift();
    }
    this.queuedRecords -= records;
    this.queuedBytes -= bytes;
    return { chunks, records, bytes };
  }

  /** Forgets every queued record; returns how many there were. */
  clear(): number {
    const records = this.queuedRecords;
    this.blocks = [];
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    return records;
  }

  private blockWithRoom(size: number): Block {
    const tail = this.blocks[this.blocks.length - 1];
    if (tail && tail.bytes.length - tail.used >= size) return tail;
    const block: Block = { bytes: Buffer.allocUnsafe(Math.max(BLOCK_BYTES, size)), used: 0, ends: [], first: 0, start: 0 };
    this.blocks.push(block);
    return block;
  }
}
