/** What a full queue does with a new item: make room by dropping the oldest, or refuse the new one. */
export type WhenFull = 'drop_oldest' | 'refuse';

export interface QueueEntry<T> {
  readonly item: T;
  readonly bytes: number;
}

export interface PushResult<T> {
  readonly accepted: boolean;
  /** Why an item was not accepted: larger than the whole capacity, or no room left. */
  readonly refusal?: 'too_large' | 'queue_full';
  /** Oldest entries removed to make room (drop_oldest only), in queue order. */
  readonly dropped: readonly QueueEntry<T>[];
}

const COMPACT_AFTER = 1024;

/**
 * FIFO bounded by total bytes. `heldBytes` lets the owner count entries it has taken out
 * (in flight) against the same capacity, so memory stays bounded by the capacity however
 * the bytes are split between waiting and in flight. In-flight bytes are never dropped:
 * when they alone leave no room, the new item is refused.
 */
export class BoundedQueue<T> {
  private entries: (QueueEntry<T> | undefined)[] = [];
  private head = 0;
  private waitingBytes = 0;

  constructor(
    readonly capacityBytes: number,
    readonly whenFull: WhenFull = 'drop_oldest',
  ) {
    if (!(capacityBytes > 0)) throw new RangeError(`capacityBytes must be a positive number (got ${capacityBytes})`);
  }

  get length(): number {
    return this.entries.length - this.head;
  }

  /** Bytes waiting (not counting what the owner holds). */
  get bytes(): number {
    return this.waitingBytes;
  }

  push(item: T, bytes: number, heldBytes = 0): PushResult<T> {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes must be a finite number >= 0 (got ${bytes})`);
    if (bytes > this.capacityBytes) return { accepted: false, refusal: 'too_large', dropped: [] };
    const dropped: QueueEntry<T>[] = [];
    if (this.whenFull === 'drop_oldest') {
      while (this.length > 0 && !this.fits(bytes, heldBytes)) dropped.push(this.shift() as QueueEntry<T>);
    }
    if (!this.fits(bytes, heldBytes)) return { accepted: false, refusal: 'queue_full', dropped };
    this.entries.push({ item, bytes });
    this.waitingBytes += bytes;
    return { accepted: true, dropped };
  }

  peek(): QueueEntry<T> | undefined {
    return this.length === 0 ? undefined : this.entries[this.head];
  }

  shift(): QueueEntry<T> | undefined {
    if (this.length === 0) return undefined;
    const entry = this.entries[this.head] as QueueEntry<T>;
    this.entries[this.head] = undefined;
    this.head += 1;
    this.waitingBytes -= entry.bytes;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Puts entries back in front, keeping their order (in-flight items after a lost connection). */
  requeueFront(entries: readonly QueueEntry<T>[]): void {
    if (entries.length === 0) return;
    this.entries = [...entries, ...this.entries.slice(this.head)];
    this.head = 0;
    for (const entry of entries) this.waitingBytes += entry.bytes;
  }

  /** Removes and returns everything waiting, oldest first. */
  takeAll(): QueueEntry<T>[] {
    const all = this.entries.slice(this.head) as QueueEntry<T>[];
    this.entries = [];
    this.head = 0;
    this.waitingBytes = 0;
    return all;
  }

  private fits(bytes: number, heldBytes: number): boolean {
    return this.waitingBytes + heldBytes + bytes <= this.capacityBytes;
  }
}
