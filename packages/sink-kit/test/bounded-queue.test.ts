// Ensures the byte-bounded queue keeps FIFO order, never holds more than its capacity
// (in-flight bytes included), and applies its policy when full: drop the oldest waiting
// entries, or refuse the new one.
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../src/index.js';

const items = (queue: BoundedQueue<number>) => queue.takeAll().map((entry) => entry.item);

describe('BoundedQueue', () => {
  it('drop_oldest: makes room by dropping the oldest waiting entries, in order', () => {
    const queue = new BoundedQueue<number>(100);
    for (const item of [1, 2, 3, 4]) expect(queue.push(item, 25).accepted).toBe(true);
    const result = queue.push(5, 40);
    expect(result).toMatchObject({ accepted: true });
    expect(result.dropped.map((entry) => entry.item)).toEqual([1, 2]);
    expect(queue.bytes).toBe(90);
    expect(items(queue)).toEqual([3, 4, 5]);
    expect(queue.bytes).toBe(0);
  });

  it('refuse: keeps what waits and refuses the newest when it does not fit', () => {
    const queue = new BoundedQueue<number>(100, 'refuse');
    for (const item of [1, 2, 3, 4]) queue.push(item, 25);
    expect(queue.push(5, 1)).toEqual({ accepted: false, refusal: 'queue_full', dropped: [] });
    expect(items(queue)).toEqual([1, 2, 3, 4]);
  });

  it('refuses an item larger than the whole capacity under either policy, dropping nothing', () => {
    for (const policy of ['drop_oldest', 'refuse'] as const) {
      const queue = new BoundedQueue<number>(100, policy);
      queue.push(1, 10);
      expect(queue.push(2, 101)).toEqual({ accepted: false, refusal: 'too_large', dropped: [] });
      expect(queue.length).toBe(1);
    }
  });

  it('counts held (in-flight) bytes against the capacity; they alone leaving no room refuses the item', () => {
    const queue = new BoundedQueue<number>(100);
    queue.push(1, 30);
    const result = queue.push(2, 40, 50);
    expect(result.dropped.map((entry) => entry.item)).toEqual([1]);
    expect(result.accepted).toBe(true);
    const third = queue.push(3, 20, 50);
    expect(third.dropped.map((entry) => entry.item)).toEqual([2]);
    expect(third).toMatchObject({ accepted: true });
    expect(queue.push(4, 60, 50)).toMatchObject({ accepted: false, refusal: 'queue_full' });
    expect(items(queue)).toEqual([]);
  });

  it('peek, shift and requeueFront keep order and bytes', () => {
    const queue = new BoundedQueue<number>(1000);
    for (const item of [1, 2, 3, 4]) queue.push(item, item * 10);
    const first = queue.shift();
    const second = queue.shift();
    expect(queue.peek()?.item).toBe(3);
    expect(queue.bytes).toBe(70);
    queue.requeueFront([first!, second!]);
    expect(queue.bytes).toBe(100);
    expect(queue.length).toBe(4);
    expect(items(queue)).toEqual([1, 2, 3, 4]);
    expect(queue.shift()).toBeUndefined();
  });

  it('stays consistent across many pushes and shifts (internal compaction)', () => {
    const queue = new BoundedQueue<number>(5000 * 100);
    let shifted = 0;
    for (let item = 0; item < 5000; item += 1) {
      queue.push(item, 100);
      if (item % 3 !== 0) expect(queue.shift()?.item).toBe(shifted++);
    }
    expect(queue.length).toBe(5000 - shifted);
    expect(queue.bytes).toBe(queue.length * 100);
    expect(items(queue)).toEqual(Array.from({ length: 5000 - shifted }, (_, index) => shifted + index));
  });

  it('rejects sizes that would corrupt its byte count', () => {
    const queue = new BoundedQueue<number>(100);
    expect(() => queue.push(1, Number.NaN)).toThrow(RangeError);
    expect(() => queue.push(1, -1)).toThrow(/bytes must be a finite number >= 0 \(got -1\)/);
    expect(() => new BoundedQueue<number>(0)).toThrow(/capacityBytes must be a positive number/);
    expect(queue.bytes).toBe(0);
  });
});
