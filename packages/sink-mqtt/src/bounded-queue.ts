export interface QueueEntry<T> {
  readonly item: T;
  readonly bytes: number;
}

export interface PushResult<T> {
  /** False when the item alone is larger than the whole capacity. */
  readonly accepted: boolean;
  /** Oldest entries removed to make room, in queue order. */
  readonly dropped: readonly QueueEntry<T>[];
}

const COMPACT_AFTER = 1024;

/**
 * FIFO bounded by total bytes with a drop-oldest policy. `heldBytes` lets the owner count
 * entries it has taken out (in flight) against the same capacity, so memory stays bounded
 * by the capacity however the bytes are split between waiting and in flight.
 */
export class BoundedQueue<T> {
  private entries: (QueueEntry<T> | undefined)[] = [];
  private head = 0;
  private waitingBytes = 0;

  constructor(readonly capacityBytes: number) {}

  get length(): number {
    return this.entries.length - this.head;
  }

  get bytes(): number {
    return this.waitingBytes;
  }

  push(item: T, bytes: number, heldBytes = 0): PushResult<T> {
    if (bytes > this.capacityBytes) return { accepted: false, dropped: [] };
    const dropped: QueueEntry<T>[] = [];
    while (this.length > 0 && this.waitingBytes + heldBytes + bytes > this.capacityBytes) {
      dropped.push(this.shift() as QueueEntry<T>);
    }
    if (this.waitingBytes + heldBytes + bytes > this.capacityBytes) return { accepted: false, dropped };
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

  /** Puts entries back in front, keeping their order (in-flight messages after a disconnect). */
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
}
