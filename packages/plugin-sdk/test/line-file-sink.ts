import { appendFile } from 'node:fs/promises';
import type { Payload, PluginContext, Sink, SinkStats } from '../src/index.js';

/** Ways a sink can break the contract, each switched on by one test. */
export interface Breakage {
  acceptsBeforeStart?: boolean;
  acceptsAnyChannel?: boolean;
  acceptsAfterStop?: boolean;
  throwsOnMalformed?: boolean;
  losesPayloads?: boolean;
  dropsQueueAtStop?: boolean;
  outOfOrder?: boolean;
  nanCounter?: boolean;
  missingErrorsCounter?: boolean;
  uncountedSent?: boolean;
  secondStopRejects?: boolean;
  stopNeverResolves?: boolean;
  initRejects?: boolean;
  deliversRefused?: boolean;
}

/**
 * A small sink for testing the conformance check itself: it appends each payload as a
 * line to a real file (its peer), writes in order, and flushes at stop. `breakage` makes
 * it violate one rule on purpose.
 */
export function lineFileSink(file: string, breakage: Breakage = {}) {
  return (context: PluginContext): Sink => {
    let channels: string[] = [];
    let state: 'created' | 'running' | 'stopped' = 'created';
    let writing: Promise<void> = Promise.resolve();
    let held: Payload[] = [];
    let stops = 0;
    let flushTimer: NodeJS.Timeout | undefined;
    const counters = { queued: 0, sent: 0, dropped: 0, errors: 0 };
    const write = (payloads: Payload[]) => {
      const lines = payloads.map((payload) => `${Buffer.from(payload.data).toString('utf8')}\n`).join('');
      writing = writing
        .then(() => appendFile(file, lines))
        .then(() => void (counters.sent += breakage.uncountedSent ? 0 : payloads.length))
        .catch((error: Error) => {
          counters.errors += 1;
          context.log.error(`cannot append to ${file}: ${error.message}`);
        });
    };
    return {
      async init(config) {
        if (breakage.initRejects) throw new Error('init refused on purpose');
        channels = (config as { channels: string[] }).channels;
      },
      async start() {
        state = 'running';
      },
      channels: () => channels,
      dispatch(channel, payload) {
        if (state === 'created' && !breakage.acceptsBeforeStart) return false;
        if (state === 'stopped' && !breakage.acceptsAfterStop) return false;
        if (!channels.includes(channel) && !breakage.acceptsAnyChannel) {
          if (breakage.deliversRefused) write([payload]);
          return false;
        }
        if (!(payload?.data instanceof Uint8Array) && !breakage.throwsOnMalformed) return false;
        if (breakage.throwsOnMalformed) void payload.data.byteLength.toFixed();
        counters.queued += 1;
        if (breakage.losesPayloads) return true;
        held.push(payload);
        if (breakage.dropsQueueAtStop) {
          // Writes in batches every 100 ms, and forgets the batch still waiting at stop.
          flushTimer ??= setTimeout(() => {
            flushTimer = undefined;
            write(held);
            held = [];
          }, 100).unref();
          return true;
        }
        if (breakage.outOfOrder && held.length < 2) return true;
        write(breakage.outOfOrder ? held.reverse() : held);
        held = [];
        return true;
      },
      async stop() {
        stops += 1;
        if (breakage.stopNeverResolves) return new Promise<void>(() => undefined);
        if (stops > 1 && breakage.secondStopRejects) throw new Error('already stopped');
        state = 'stopped';
        clearTimeout(flushTimer);
        if (!breakage.dropsQueueAtStop && held.length > 0) write(held);
        held = [];
        await writing;
      },
      stats(): SinkStats {
        const stats: SinkStats = { ...counters, sent: breakage.nanCounter ? Number.NaN : counters.sent };
        if (breakage.missingErrorsCounter) delete (stats as Partial<SinkStats>).errors;
        return stats;
      },
    };
  };
}
