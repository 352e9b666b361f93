import type { Logger } from '@netifyd/plugin-sdk';
import type { MqttClient } from 'mqtt';
import { BoundedQueue, countDrop } from '@netifyd/sink-kit';
import type { QueueEntry } from '@netifyd/sink-kit';
import type { Route } from './config.js';
import type { MqttCounters } from './counters.js';

export interface Outgoing {
  readonly route: Route;
  readonly data: Uint8Array;
  /** Dispatch order, to put in-flight messages back in order after a disconnect. */
  readonly seq: number;
}

/** Messages handed to the client without an acknowledgement yet; bounds memory held by mqtt.js too. */
const MAX_IN_FLIGHT = 64;
/**
 * In-flight messages can no longer be dropped, so they may use at most this share of the
 * capacity: the rest stays for queued payloads, where the drop-oldest policy applies.
 */
const IN_FLIGHT_SHARE = 0.5;

/**
 * The offline queue and the in-flight window of one sink. Payloads wait here while the
 * broker is away; once a client is attached they are published in order, at most
 * MAX_IN_FLIGHT unacknowledged at a time. A payload leaves only when published (QoS 0
 * written, QoS 1/2 acknowledged); if the connection drops first it goes back to the front.
 * Queued plus in-flight bytes never exceed the capacity: the oldest queued are dropped.
 */
export class PublishQueue {
  private queue: BoundedQueue<Outgoing>;
  private readonly inFlight = new Map<number, QueueEntry<Outgoing>>();
  private inFlightBytes = 0;
  private client: MqttClient | undefined;
  private nextSeq = 0;
  private idleWaiters: (() => void)[] = [];
  private dropLogged = false;
  private readonly failureLogged = new Set<string>();

  constructor(
    capacityBytes: number,
    private readonly counters: MqttCounters,
    private readonly log: Logger,
  ) {
    this.queue = new BoundedQueue(capacityBytes);
  }

  get backlogLength(): number {
    return this.queue.length + this.inFlight.size;
  }

  get backlogBytes(): number {
    return this.queue.bytes + this.inFlightBytes;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  enqueue(route: Route, data: Uint8Array): boolean {
    this.counters.queued += 1;
    const result = this.queue.push({ route, data, seq: this.nextSeq }, data.byteLength, this.inFlightBytes);
    if (result.dropped.length > 0) this.noteQueueDrops(result.dropped.length);
    if (!result.accepted) {
      countDrop(this.counters, result.refusal === 'too_large' ? 'too_large' : 'queue_full');
      return false;
    }
    this.nextSeq += 1;
    this.pump();
    return true;
  }

  /** A new capacity (reload): the oldest waiting payloads are dropped if they no longer fit. */
  resize(capacityBytes: number): void {
    const waiting = this.queue.takeAll();
    this.queue = new BoundedQueue(capacityBytes);
    let dropped = 0;
    for (const entry of waiting) {
      const result = this.queue.push(entry.item, entry.bytes, this.inFlightBytes);
      dropped += result.dropped.length + (result.accepted ? 0 : 1);
    }
    if (dropped > 0) this.noteQueueDrops(dropped);
    this.pump();
  }

  /** A connected client: start publishing. */
  attach(client: MqttClient): void {
    this.client = client;
    this.pump();
  }

  /** The connection is gone: what was in flight goes back to the front, in order. */
  detach(): void {
    this.client = undefined;
    if (this.inFlight.size === 0) return;
    const back = [...this.inFlight.values()].sort((a, b) => a.item.seq - b.item.seq);
    this.inFlight.clear();
    this.inFlightBytes = 0;
    this.queue.requeueFront(back);
    this.counters.retried += back.length;
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.backlogLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Empties queue and window (at stop); returns how many payloads were still there. */
  discardAll(): number {
    const count = this.backlogLength;
    this.client = undefined;
    this.queue.takeAll();
    this.inFlight.clear();
    this.inFlightBytes = 0;
    this.notifyIfIdle();
    return count;
  }

  private pump(): void {
    const client = this.client;
    const inFlightBudget = this.queue.capacityBytes * IN_FLIGHT_SHARE;
    while (client && this.client === client && this.inFlight.size < MAX_IN_FLIGHT) {
      const next = this.queue.peek();
      if (!next) break;
      if (this.inFlight.size > 0 && this.inFlightBytes + next.bytes > inFlightBudget) break;
      const entry = this.queue.shift() as QueueEntry<Outgoing>;
      const { route, data, seq } = entry.item;
      this.inFlight.set(seq, entry);
      this.inFlightBytes += entry.bytes;
      client.publish(route.topic, Buffer.from(data.buffer, data.byteOffset, data.byteLength), { qos: route.qos, retain: route.retain }, (error) =>
        this.settle(client, seq, error),
      );
    }
    this.notifyIfIdle();
  }

  private settle(client: MqttClient, seq: number, error: Error | undefined): void {
    if (this.client !== client || !this.inFlight.has(seq)) return;
    if (!error) {
      this.release(seq);
      this.counters.sent += 1;
      this.pump();
      return;
    }
    // A failure caused by the connection going down is settled by detach() (requeued);
    // mqtt.js reports it before it reports the close, so decide one tick later.
    setImmediate(() => {
      if (this.client !== client || !this.inFlight.has(seq)) return;
      this.release(seq);
      this.counters.errors += 1;
      countDrop(this.counters, 'publish_failed');
      if (!this.failureLogged.has(error.message)) {
        this.failureLogged.add(error.message);
        this.log.warn(`publish failed: ${error.message}; payload dropped (further such failures are only counted)`);
      }
      this.pump();
    });
  }

  private release(seq: number): void {
    const entry = this.inFlight.get(seq);
    if (!entry) return;
    this.inFlight.delete(seq);
    this.inFlightBytes -= entry.bytes;
  }

  private notifyIfIdle(): void {
    if (this.backlogLength !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private noteQueueDrops(count: number): void {
    countDrop(this.counters, 'queue_full', count);
    if (this.dropLogged) return;
    this.dropLogged = true;
    this.log.warn('offline queue full (max_queue_kb); dropping the oldest payloads (counted in dropped_queue_full, summarised at stop)');
  }
}
