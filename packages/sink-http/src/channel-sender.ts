import type { Logger, Payload } from '@netifyd/plugin-sdk';
import { BoundedQueue, countDrop, retryDelay } from '@netifyd/sink-kit';
import type { BackoffPolicy, QueueEntry } from '@netifyd/sink-kit';
import type { HttpCounters } from './counters.js';
import type { HttpTransport, PostOutcome } from './http-transport.js';

export interface SenderOptions {
  readonly channel: string;
  /** Where the channel posts, for log lines: origin and path, never the query. */
  readonly where: string;
  readonly transport: HttpTransport;
  readonly backlogBytes: number;
  readonly backoff: BackoffPolicy;
  readonly counters: HttpCounters;
  readonly log: Logger;
}

/**
 * Delivers one channel's payloads in order, one request at a time. The oldest payload
 * stays at the head ("held") until the collector accepts or definitively rejects it;
 * meanwhile newer payloads wait in a byte-bounded queue that drops its oldest entries
 * when full.
 */
export class ChannelSender {
  private readonly queue: BoundedQueue<Payload>;
  private readonly abort = new AbortController();
  private held: QueueEntry<Payload> | undefined;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private draining = false;
  private failedAttempts = 0;
  private readonly reasonsThisOutage = new Set<string>();
  private readonly rejectedStatusesLogged = new Set<number>();
  private backlogDropLogged = false;

  constructor(private readonly options: SenderOptions) {
    this.queue = new BoundedQueue(options.backlogBytes);
  }

  get backlogBytes(): number {
    return this.queue.bytes + (this.held?.bytes ?? 0);
  }

  get backlogLength(): number {
    return this.queue.length + (this.held ? 1 : 0);
  }

  /** Accepts a payload unless it cannot fit beside the held one; may drop the oldest waiting ones. */
  enqueue(payload: Payload): boolean {
    const { counters } = this.options;
    counters.queued += 1;
    const result = this.queue.push(payload, payload.data.byteLength, this.held?.bytes ?? 0);
    if (result.dropped.length > 0) this.noteBacklogDrops(result.dropped.length);
    if (!result.accepted) {
      // queue_full: alone it would fit, but the held payload leaves no room, so the newest is the one dropped.
      countDrop(counters, result.refusal === 'too_large' ? 'too_large' : 'backlog_full');
      return false;
    }
    this.wake?.();
    return true;
  }

  /**
   * Takes over what a sender of this channel with older settings left undelivered (reload),
   * oldest first; they are not counted as queued again. Call before anything is enqueued.
   */
  adopt(payloads: readonly Payload[]): void {
    for (const payload of payloads) {
      const result = this.queue.push(payload, payload.data.byteLength, this.held?.bytes ?? 0);
      if (result.dropped.length > 0) this.noteBacklogDrops(result.dropped.length);
      if (!result.accepted) countDrop(this.options.counters, result.refusal === 'too_large' ? 'too_large' : 'backlog_full');
    }
    this.wake?.();
  }

  start(): void {
    this.running ??= this.run();
  }

  /**
   * Keeps delivering until the backlog is empty or `timeoutMs` has passed, then cancels
   * whatever is in flight. Returns the payloads left undelivered, oldest first.
   */
  async stop(timeoutMs: number): Promise<Payload[]> {
    this.draining = true;
    this.wake?.();
    const deadline = setTimeout(() => this.abort.abort(), timeoutMs);
    deadline.unref();
    await this.running;
    clearTimeout(deadline);
    this.abort.abort();
    const left = this.held ? [this.held, ...this.queue.takeAll()] : this.queue.takeAll();
    this.held = undefined;
    await this.options.transport.close();
    return left.map((entry) => entry.item);
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      const entry = this.held ?? this.queue.shift();
      if (!entry) {
        if (this.draining) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.held = entry;
      const outcome = await this.options.transport.post(entry.item, signal);
      const delay = this.settle(outcome);
      if (delay !== undefined && !signal.aborted) await this.sleep(delay);
    }
  }

  /** Applies an outcome to the head and the counters; returns the wait before a retry. */
  private settle(outcome: PostOutcome): number | undefined {
    const { counters, log, channel, where } = this.options;
    if (outcome.kind === 'sent') {
      this.held = undefined;
      counters.sent += 1;
      if (this.failedAttempts > 0) {
        log.info(`${channel}: delivery to ${where} resumed after ${this.failedAttempts} failed attempt(s)`);
      }
      this.failedAttempts = 0;
      this.reasonsThisOutage.clear();
      return undefined;
    }
    if (outcome.kind === 'rejected') {
      counters.errors += 1;
      this.held = undefined;
      countDrop(counters, 'rejected');
      if (!this.rejectedStatusesLogged.has(outcome.status)) {
        this.rejectedStatusesLogged.add(outcome.status);
        log.warn(
          `${channel}: ${where} rejected a payload with HTTP ${outcome.status}; it is dropped, not retried ` +
            `(further HTTP ${outcome.status} rejections are only counted)`,
        );
      }
      return undefined;
    }
    // An attempt cut short by the stop deadline is neither an error nor a retry.
    if (this.abort.signal.aborted) return undefined;
    counters.errors += 1;
    if (!this.reasonsThisOutage.has(outcome.reason)) {
      this.reasonsThisOutage.add(outcome.reason);
      const line = `${channel}: POST to ${where} failed: ${outcome.reason}; retrying with backoff, backlog kept`;
      if (outcome.tlsTrust) log.error(line);
      else log.warn(line);
    }
    const delay = retryDelay(this.failedAttempts, this.options.backoff, outcome.afterMs);
    this.failedAttempts += 1;
    counters.retried += 1;
    return delay;
  }

  private noteBacklogDrops(count: number): void {
    countDrop(this.options.counters, 'backlog_full', count);
    if (this.backlogDropLogged) return;
    this.backlogDropLogged = true;
    this.options.log.warn(
      `${this.options.channel}: backlog full (max_backlog_kb); dropping the oldest payloads ` +
        '(counted in dropped_backlog_full, summarised at stop)',
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      timer.unref();
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
