import type { Payload, PluginContext, Sink, SinkStats } from '@netifyd/plugin-sdk';
import { planChannels, updateIntervalFrom, type ChannelPlan } from './channel-plan.js';
import { checkLogPath } from './log-path-check.js';
import { OverwriteWriter } from './overwrite-writer.js';
import { recordExtension, recordSeparator } from './record-encoding.js';
import { RotatingWriter } from './rotating-writer.js';
import { ThrottledLog } from './throttled-log.js';
import type { ChannelWriter, LogCounters } from './writer.js';

type State = 'created' | 'ready' | 'running' | 'stopped';

export interface LogSinkStats extends SinkStats, LogCounters {
  /** Payloads accepted but not yet in a published file. */
  queued: number;
}

/** Writes each channel's payloads to files: see OverwriteWriter and RotatingWriter. */
export class LogSink implements Sink {
  private state: State = 'created';
  private plans = new Map<string, ChannelPlan>();
  /** Per channel, one writer per file extension (encoding), created on its first payload. */
  private readonly writers = new Map<string, Map<string, ChannelWriter>>();
  private readonly lastWriter = new Map<ChannelPlan, { format: string; compressor: string; writer: ChannelWriter }>();
  private readonly counters: LogCounters = { sent: 0, dropped: 0, errors: 0, files_written: 0, bytes_written: 0 };
  private readonly failures: ThrottledLog;
  private readonly queueFull: ThrottledLog;

  constructor(private readonly context: PluginContext) {
    this.failures = new ThrottledLog((message) => context.log.error(message));
    this.queueFull = new ThrottledLog((message) => context.log.warn(message));
  }

  async init(config: unknown): Promise<void> {
    this.plans = await this.plan(config);
    this.state = 'ready';
  }

  /**
   * SIGHUP: applies a changed config. A channel whose settings are unchanged keeps its
   * writer: its queued payloads and its open file carry on. Channels that changed or went
   * are flushed and closed first (their files published as at stop); an invalid config, or
   * a log_path that cannot be used, is refused before anything changes.
   */
  async reload(config: unknown): Promise<void> {
    const next = await this.plan(config);
    const closing: ChannelWriter[] = [];
    for (const [name, plan] of this.plans) {
      const replacement = next.get(name);
      if (replacement && planIdentity(replacement) === planIdentity(plan)) {
        next.set(name, plan);
        continue;
      }
      this.lastWriter.delete(plan);
      closing.push(...(this.writers.get(name)?.values() ?? []));
      this.writers.delete(name);
    }
    this.plans = next;
    await Promise.all(closing.map((writer) => writer.close()));
    this.context.log.info(`reloaded: ${[...this.allWriters()].length} file writer(s) kept, ${closing.length} flushed and closed`);
  }

  async start(): Promise<void> {
    if (this.state === 'ready') this.state = 'running';
  }

  channels(): readonly string[] {
    return [...this.plans.keys()];
  }

  dispatch(channel: string, payload: Payload): boolean {
    const plan = this.plans.get(channel);
    if (this.state !== 'running' || !plan) {
      this.counters.dropped++;
      return false;
    }
    if (!(payload?.data instanceof Uint8Array)) {
      // A processor bug; the agent must never see a throw from dispatch.
      this.counters.errors++;
      this.failures.report(`channel ${channel}: refused a malformed payload (no data bytes)`);
      return false;
    }
    const separator = recordSeparator(payload);
    const writer = this.writerFor(plan, payload);
    if (writer.queuedBytes() + payload.data.byteLength + separator.byteLength > plan.maxQueueBytes) {
      this.counters.dropped++;
      this.queueFull.report(
        `channel ${channel}: more than max_queue_kb=${plan.maxQueueBytes / 1024} waiting for disk; dropping payloads`,
      );
      return false;
    }
    writer.append(payload.data, separator);
    return true;
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await Promise.all([...this.allWriters()].map((writer) => writer.close()));
    this.queueFull.summarize('dropped-payload warnings');
    this.failures.summarize('write errors');
  }

  stats(): LogSinkStats {
    let queued = 0;
    for (const writer of this.allWriters()) queued += writer.queuedPayloads();
    return { queued, ...this.counters };
  }

  private async plan(config: unknown): Promise<Map<string, ChannelPlan>> {
    const file = this.context.configFile ?? 'netify-sink-log.json';
    const updateInterval = updateIntervalFrom(this.context.agentConfig('netifyd'));
    const plans = planChannels(config, file, updateInterval, this.context.log);
    for (const plan of plans) if (plan.enabled) await checkLogPath(plan, file);
    const enabled = new Map(plans.filter((plan) => plan.enabled).map((plan) => [plan.name, plan]));
    if (enabled.size === 0) this.context.log.warn(`${file}: no enabled channels; nothing will be written`);
    return enabled;
  }

  private *allWriters(): Iterable<ChannelWriter> {
    for (const channelWriters of this.writers.values()) yield* channelWriters.values();
  }

  /** The channel's writer for the payload's encoding; the one used last is found without working out the extension. */
  private writerFor(plan: ChannelPlan, payload: Payload): ChannelWriter {
    const last = this.lastWriter.get(plan);
    if (last && last.format === payload.format && last.compressor === payload.compressor) return last.writer;
    const extension = recordExtension(payload);
    let channelWriters = this.writers.get(plan.name);
    if (!channelWriters) this.writers.set(plan.name, (channelWriters = new Map()));
    let writer = channelWriters.get(extension);
    if (!writer) {
      const report = (message: string) => this.failures.report(`channel ${plan.name}: ${message}`);
      writer = plan.overwrite
        ? new OverwriteWriter(plan.logPath, plan.logName, extension, plan.flushIntervalMs, this.counters, report)
        : new RotatingWriter(plan.logPath, plan.logName, extension, plan, this.counters, report);
      channelWriters.set(extension, writer);
    }
    this.lastWriter.set(plan, { format: payload.format, compressor: payload.compressor, writer });
    return writer;
  }
}

/** What makes a channel the same after a reload: every setting, not where in the file it was written. */
function planIdentity(plan: ChannelPlan): string {
  const { logPathKey, ...settings } = plan;
  return JSON.stringify(settings);
}
