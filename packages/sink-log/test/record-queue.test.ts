// Ensures the queue that gathers payloads into large blocks gives back exactly the bytes it
// was given, in order, cut only at record boundaries, and never changes bytes it handed out.
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, RecordQueue } from '../src/record-queue.js';

const NEWLINE = new Uint8Array([0x0a]);
const NOTHING = new Uint8Array(0);

/** Deterministic record `index` of `size` bytes (its bytes name it). */
function record(index: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (index * 31 + i) & 0xff;
  return bytes;
}

function concat(chunks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
}

describe('record queue', () => {
  it('returns every record in order across block boundaries, a record larger than a block included', () => {
    const queue = new RecordQueue();
    const sizes = [100, BLOCK_BYTES - 150, 300, 70_000, BLOCK_BYTES + 5, 1, 0, 2_000];
    const expected: Uint8Array[] = [];
    sizes.forEach((size, index) => {
      const data = record(index, size);
      queue.append(data, NEWLINE);
      expected.push(data, NEWLINE);
    });
    expect(queue.records).toBe(sizes.length);
    expect(queue.bytes).toBe(sizes.reduce((sum, size) => sum + size + 1, 0));
    const taken = queue.take(Number.POSITIVE_INFINITY, false);
    expect(taken.records).toBe(sizes.length);
    expect(concat(taken.chunks).equals(concat(expected))).toBe(true);
    expect(taken.bytes).toBe(concat(expected).length);
    expect(queue.records).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it('takes only whole records that fit the room; with atLeastOne the first record even when larger', () => {
    const queue = new RecordQueue();
    for (let i = 0; i < 10; i++) queue.append(record(i, 99), NEWLINE);
    const three = queue.take(350, false);
    expect(three.records).toBe(3);
    expect(three.bytes).toBe(300);
    expect(concat(three.chunks).equals(concat([0, 1, 2].flatMap((i) => [record(i, 99), NEWLINE])))).toBe(true);
    expect(queue.take(50, false).records).toBe(0);
    const one = queue.take(50, true);
    expect(one.records).toBe(1);
    expect(concat(one.chunks).equals(concat([record(3, 99), NEWLINE]))).toBe(true);
    expect(queue.records).toBe(6);
    expect(queue.bytes).toBe(600);
    expect(queue.clear()).toBe(6);
    expect(queue.take(Number.POSITIVE_INFINITY, true)).toEqual({ chunks: [], records: 0, bytes: 0 });
  });

  it('keeps the bytes of taken records while appends go on into the same block', () => {
    const queue = new RecordQueue();
    queue.append(record(1, 500), NOTHING);
    const first = queue.take(Number.POSITIVE_INFINITY, true);
    const copy = Buffer.from(concat(first.chunks));
    for (let i = 2; i < 200; i++) queue.append(record(i, 4_000), NOTHING);
    expect(concat(first.chunks).equals(copy)).toBe(true);
    const rest = queue.take(Number.POSITIVE_INFINITY, true);
    expect(rest.records).toBe(198);
    expect(concat(rest.chunks).equals(concat(Array.from({ length: 198 }, (_, i) => record(i + 2, 4_000))))).toBe(true);
    // About one view per block, not one per record.
    expect(rest.chunks.length).toBeLessThanOrEqual(Math.ceil((198 * 4_000) / BLOCK_BYTES) + 1);
  });

  it('copies the payload: the caller may reuse its buffer after append', () => {
    const queue = new RecordQueue();
    const data = record(7, 64);
    queue.append(data, NEWLINE);
    data.fill(0);
    expect(concat(queue.take(Number.POSITIVE_INFINITY, true).chunks).equals(concat([record(7, 64), NEWLINE]))).toBe(true);
  });
});
