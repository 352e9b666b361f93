import { randomUUID } from 'node:crypto';
import { NetifydError } from '../errors.js';
import type { Payload } from '../payload.js';
import { ANY_CHANNEL } from '../plugin.js';
import type { PluginContext, Sink, SinkStats } from '../plugin.js';
import { countArrivedInOrder, findText } from './arrivals.js';
import type { ReceivedMessage } from './arrivals.js';
import { jsonPayload } from './payloads.js';
import { createTestContext } from './test-context.js';
import type { TestContext, TestContextOptions } from './test-context.js';
import { delay } from './wait.js';

export interface SinkConformanceOptions {
  /** Makes the sink under test, e.g. `(context) => factory.create(context)`. */
  create(context: PluginContext): Sink;
  /** Its config (parsed JSON), or a function of the check's context (e.g. to use its state paths). */
  readonly config: unknown | ((context: TestContext) => unknown);
  /** A channel the config enables; the check's payloads go there. */
  readonly channel: string;
  /**
   * What the real peer has received so far, oldest first, one entry per message with the
   * sink's framing removed (a trailing newline is ignored).
   */
  received(): readonly ReceivedMessage[] | Promise<readonly ReceivedMessage[]>;
  /** Runs once the sink has started, before anything must arrive: connect a client, subscribe… */
  ready?(sink: Sink, context: TestContext): void | Promise<void>;
  /** A channel the config lists but disables; dispatching to it must be refused too. */
  readonly disabledChannel?: string;
  /** Options of the check's test context (name, configFile, agentConfig, …). */
  readonly context?: TestContextOptions;
  /** How long payloads may take to reach the peer and stop() may take (default 10 000 ms). */
  readonly timeoutMs?: number;
}

export interface ConformanceReport {
  /** The rules checked, in order. */
  readonly passed: readonly string[];
  /** stats() after the final stop(). */
  readonly stats: SinkStats;
}

const UNKNOWN_CHANNEL = 'conformance-unknown-channel';
const LIVE_PAYLOADS = 3;
const PAYLOADS_AT_STOP = 2;
const REQUIRED_COUNTERS = ['queued', 'sent', 'dropped', 'errors'] as const;

/**
 * Runs a sink against its real peer through the lifecycle the agent drives and checks
 * the Sink contract: channels after init; dispatch refused (false, no throw) before start,
 * after stop, on an unknown or disabled channel and for a malformed payload; what was
 * accepted reaches the peer in order, also when dispatched just before stop(); numeric
 * counters; stop() twice. Throws a NetifydError `ERR_SINK_CONFORMANCE` naming the first
 * rule broken; never asks a test framework.
 */
export async function checkSinkConformance(options: SinkConformanceOptions): Promise<ConformanceReport> {
  const context = createTestContext({ name: 'sink-under-test', ...options.context });
  const run = new ConformanceRun(options, context);
  try {
    return await run.check();
  } finally {
    await run.abandon();
    await context.cleanup();
  }
}

class ConformanceRun {
  private readonly token = randomUUID();
  private readonly timeoutMs: number;
  private readonly passed: string[] = [];
  private sink: Sink | undefined;
  private stopped = false;

  constructor(
    private readonly options: SinkConformanceOptions,
    private readonly context: TestContext,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async check(): Promise<ConformanceReport> {
    const { options, context } = this;
    const sink = this.call('create(context) returns a sink', () => options.create(context));
    this.sink = sink;
    const config = typeof options.config === 'function' ? (options.config as (c: TestContext) => unknown)(context) : options.config;
    await this.step('init(config) resolves', () => sink.init(config));
    const channels = this.checkChannels(sink);
    this.checkStats(sink, 'after init');
    this.expectRefused(sink, options.channel, this.refusedPayload('before-start'), 'dispatch() before start() returns false');
    await this.step('start() resolves', () => sink.start());
    await this.step('the ready hook resolves', async () => options.ready?.(sink, context));
    if (!channels.includes(ANY_CHANNEL)) {
      this.expectRefused(sink, UNKNOWN_CHANNEL, this.refusedPayload('unknown-channel'), 'dispatch() to an unknown channel returns false');
    }
    if (options.disabledChannel !== undefined) {
      this.expectRefused(sink, options.disabledChannel, this.refusedPayload('disabled-channel'), 'dispatch() to a disabled channel returns false');
    }
    for (const [what, payload] of this.malformedPayloads()) {
      this.expectRefused(sink, options.channel, payload, `dispatch() of a malformed payload (${what}) returns false`);
    }
    this.checkStats(sink, 'after malformed payloads');

    const live = this.acceptedPayloads('live', LIVE_PAYLOADS);
    await this.expectArrival(live, 'while running');
    await this.expectCounter(sink, 'sent', LIVE_PAYLOADS, 'stats().sent counts what reached the peer');

    const atStop = this.acceptedPayloads('at-stop', PAYLOADS_AT_STOP);
    await this.stop('stop() resolves');
    await this.expectArrival([...live, ...atStop], 'when dispatched just before stop()');
    this.expectRefused(sink, options.channel, this.refusedPayload('after-stop'), 'dispatch() after stop() returns false');
    await this.stop('a second stop() resolves');
    const stats = this.checkStats(sink, 'after stop');
    if ((stats.sent ?? 0) < LIVE_PAYLOADS + PAYLOADS_AT_STOP) {
      this.fail('stats().sent counts what reached the peer', `sent is ${stats.sent} after ${LIVE_PAYLOADS + PAYLOADS_AT_STOP} payloads arrived`);
    }
    await this.expectNothingRefusedArrived();
    return { passed: this.passed, stats };
  }

  /** Stops a sink a failed check left running (errors ignored: the first violation is reported). */
  async abandon(): Promise<void> {
    if (!this.sink || this.stopped) return;
    this.stopped = true;
    await within(Promise.resolve().then(() => this.sink?.stop()), this.timeoutMs).catch(() => undefined);
  }

  private checkChannels(sink: Sink): readonly string[] {
    const rule = 'channels() after init lists the configured channel';
    const channels = this.call(rule, () => sink.channels());
    if (!Array.isArray(channels) || !channels.every((name) => typeof name === 'string' && name !== '')) {
      this.fail(rule, `channels() must return an array of channel names (got ${show(channels)})`);
    }
    if (!channels.includes(this.options.channel) && !channels.includes(ANY_CHANNEL)) {
      this.fail(rule, `"${this.options.channel}" is not among ${show(channels)} (nor ANY_CHANNEL)`);
    }
    this.passed.push(rule);
    return channels;
  }

  private checkStats(sink: Sink, when: string): SinkStats {
    const rule = `stats() ${when} has finite queued/sent/dropped/errors`;
    const stats = this.call(rule, () => sink.stats());
    if (stats === null || typeof stats !== 'object') this.fail(rule, `stats() must return an object (got ${show(stats)})`);
    for (const key of REQUIRED_COUNTERS) {
      if (!isCount(stats[key])) this.fail(rule, `"${key}" must be a finite number >= 0 (got ${show(stats[key])})`);
    }
    for (const [key, value] of Object.entries(stats)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(rule, `counter "${key}" must be a finite number (got ${show(value)})`);
    }
    this.passed.push(rule);
    return stats;
  }

  private expectRefused(sink: Sink, channel: string, payload: Payload, rule: string): void {
    const result = this.call(rule, () => sink.dispatch(channel, payload));
    if (result !== false) this.fail(rule, `dispatch("${channel}", …) returned ${show(result)}`);
    this.passed.push(rule);
  }

  private acceptedPayloads(phase: string, count: number): Payload[] {
    const rule = `dispatch() of a well-formed payload ${phase === 'live' ? 'while running' : 'just before stop()'} returns true`;
    const payloads = Array.from({ length: count }, (_, index) => this.payload(`${phase}-${index}`));
    for (const payload of payloads) {
      const result = this.call(rule, () => this.sink?.dispatch(this.options.channel, payload));
      if (result !== true) this.fail(rule, `dispatch("${this.options.channel}", …) returned ${show(result)}`);
    }
    this.passed.push(rule);
    return payloads;
  }

  private async expectArrival(payloads: readonly Payload[], when: string): Promise<void> {
    const rule = `what was accepted ${when} reaches the peer, in order`;
    const expected = payloads.map((payload) => Buffer.from(payload.data).toString('utf8'));
    const deadline = Date.now() + this.timeoutMs;
    let arrived = 0;
    for (;;) {
      arrived = countArrivedInOrder(expected, await this.received(rule));
      if (arrived === expected.length || Date.now() > deadline) break;
      await delay(25);
    }
    if (arrived < expected.length) {
      this.fail(rule, `${arrived} of ${expected.length} arrived within ${this.timeoutMs} ms; missing (or out of order): ${expected[arrived]}`);
    }
    this.passed.push(rule);
  }

  private async expectCounter(sink: Sink, key: string, atLeast: number, rule: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    const read = () => this.call(rule, () => sink.stats()[key]);
    while ((read() ?? 0) < atLeast && Date.now() < deadline) await delay(25);
    const value = read();
    if ((value ?? 0) < atLeast) this.fail(rule, `${key} is ${show(value)} ${this.timeoutMs} ms after ${atLeast} payloads arrived`);
    this.passed.push(rule);
  }

  private async expectNothingRefusedArrived(): Promise<void> {
    const rule = 'nothing refused reaches the peer';
    const leaked = findText(await this.received(rule), `refused-${this.token}`);
    if (leaked !== undefined) this.fail(rule, `the peer received ${leaked}`);
    this.passed.push(rule);
  }

  private async stop(rule: string): Promise<void> {
    this.stopped = true;
    await this.step(rule, () => (this.sink as Sink).stop());
  }

  private async step(rule: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await within(Promise.resolve().then(action), this.timeoutMs);
    } catch (error) {
      this.fail(rule, error instanceof Error ? error.message : String(error));
    }
    this.passed.push(rule);
  }

  private call<T>(rule: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      return this.fail(rule, `threw ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}`);
    }
  }

  private async received(rule: string): Promise<readonly ReceivedMessage[]> {
    try {
      return await this.options.received();
    } catch (error) {
      return this.fail(rule, `received() failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private payload(label: string): Payload {
    return jsonPayload('flow', { type: 'flow', conformance: `${label}-${this.token}` });
  }

  private refusedPayload(label: string): Payload {
    return this.payload(`refused-${this.token}-${label}`);
  }

  private malformedPayloads(): [string, Payload][] {
    const valid = this.refusedPayload('malformed');
    const text = Buffer.from(valid.data).toString('utf8');
    const { message, types, format, compressor } = valid;
    return [
      ['data is a string', { ...valid, data: text as unknown as Uint8Array }],
      ['data is an array of numbers', { ...valid, data: [...valid.data] as unknown as Uint8Array }],
      ['no data', { message, types, format, compressor } as unknown as Payload],
      ['null', null as unknown as Payload],
    ];
  }

  private fail(rule: string, detail: string): never {
    throw new NetifydError('ERR_SINK_CONFORMANCE', `sink conformance: ${rule}: ${detail}`);
  }
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function show(value: unknown): string {
  if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Rejects when `promise` has not settled within `ms` (timer unref'd). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
