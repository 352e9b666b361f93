import { PluginConfigError } from '@netifyd/plugin-sdk';
import type { Payload, PluginContext, Sink, SinkStats } from '@netifyd/plugin-sdk';
import { countDrop, createPayloadGuard, describeDrops } from '@netifyd/sink-kit';
import { ChannelSender } from './channel-sender.js';
import { resolveHttpConfig } from './config.js';
import type { ChannelTarget, ResolvedHttpConfig } from './config.js';
import { HTTP_DROP_REASONS, createCounters } from './counters.js';
import { HttpTransport } from './http-transport.js';
import { ensureSpoolDir, takeSpool, writeSpool } from './spool.js';

type State = 'created' | 'ready' | 'running' | 'stopped';

/** Creates the sink-http instance the agent drives (init → start → dispatch… → stop). */
export function createHttpSink(context: PluginContext): Sink {
  return new HttpSink(context);
}

class HttpSink implements Sink {
  private state: State = 'created';
  private config: ResolvedHttpConfig | undefined;
  private readonly senders = new Map<string, ChannelSender>();
  private readonly counters = createCounters();
  private stopping: Promise<void> | undefined;
  private readonly hasBytes = createPayloadGuard(this.counters, (message) => this.context.log.error(message));

  constructor(private readonly context: PluginContext) {}

  async init(raw: unknown): Promise<void> {
    const config = await resolveHttpConfig(raw, this.context);
    if (config.backlogPath !== undefined) await this.prepareSpoolDir(config.backlogPath);
    for (const target of config.targets) this.senders.set(target.channel, this.createSender(target, config));
    this.config = config;
    this.state = 'ready';
  }

  /**
   * SIGHUP: applies a changed config without losing the backlog. A channel whose target
   * and delivery settings are unchanged keeps its sender. A changed channel's undelivered
   * payloads (a request in flight is cut short) move, in order, to a sender with the new
   * settings; a channel that went is stopped as at stop() (bounded delivery, then spooled
   * or counted). An invalid config, or a backlog_path that cannot be made, is refused
   * before anything changes.
   */
  async reload(raw: unknown): Promise<void> {
    const next = await resolveHttpConfig(raw, this.context);
    if (next.backlogPath !== undefined) await this.prepareSpoolDir(next.backlogPath);
    const current = this.config;
    if (this.state !== 'running' || !current) return;
    this.config = next;
    const wanted = new Map(next.targets.map((target) => [target.channel, target]));
    let kept = 0;
    let replaced = 0;
    let moved = 0;
    const gone: Array<[string, ChannelSender]> = [];
    for (const [channel, sender] of [...this.senders]) {
      const target = wanted.get(channel);
      wanted.delete(channel);
      const before = current.targets.find((t) => t.channel === channel);
      if (target && before && senderIdentity(target, next) === senderIdentity(before, current)) {
        kept += 1;
        continue;
      }
      // Until its payloads have moved, dispatch refuses (and counts) this channel rather than reorder it.
      this.senders.delete(channel);
      if (!target) {
        gone.push([channel, sender]);
        continue;
      }
      const left = await sender.stop(0);
      const replacement = this.createSender(target, next);
      replacement.adopt(left);
      this.senders.set(channel, replacement);
      replacement.start();
      replaced += 1;
      moved += left.length;
    }
    for (const target of wanted.values()) {
      const sender = this.createSender(target, next);
      this.senders.set(target.channel, sender);
      sender.start();
    }
    const leftovers = await Promise.all(gone.map(([, sender]) => sender.stop(next.stopTimeoutMs)));
    for (const [index, [channel]] of gone.entries()) await this.keepOrDrop(channel, leftovers[index] ?? []);
    this.context.log.info(
      `reloaded: ${kept} channel(s) kept, ${replaced} with new settings (${moved} undelivered payload(s) carried over), ` +
        `${wanted.size} added, ${gone.length} removed`,
    );
  }

  async start(): Promise<void> {
    if (this.state !== 'ready') return;
    const spoolDir = this.config?.backlogPath;
    if (spoolDir !== undefined) {
      for (const [channel, sender] of this.senders) await this.reloadSpool(spoolDir, channel, sender);
    }
    for (const sender of this.senders.values()) sender.start();
    this.state = 'running';
  }

  channels(): readonly string[] {
    return [...this.senders.keys()];
  }

  dispatch(channel: string, payload: Payload): boolean {
    const sender = this.state === 'running' ? this.senders.get(channel) : undefined;
    if (!sender) {
      this.counters.refused += 1;
      return false;
    }
    if (!this.hasBytes(channel, payload)) return false;
    return sender.enqueue(payload);
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  stats(): SinkStats {
    let backlog = 0;
    let backlogBytes = 0;
    for (const sender of this.senders.values()) {
      backlog += sender.backlogLength;
      backlogBytes += sender.backlogBytes;
    }
    return { ...this.counters, backlog, backlog_bytes: backlogBytes };
  }

  private createSender(target: ChannelTarget, config: ResolvedHttpConfig): ChannelSender {
    return new ChannelSender({
      channel: target.channel,
      where: describeTarget(target),
      transport: new HttpTransport(target),
      backlogBytes: config.maxBacklogBytes,
      backoff: { minMs: config.retryMinMs, maxMs: config.retryMaxMs },
      counters: this.counters,
      log: this.context.log,
    });
  }

  private async stopOnce(): Promise<void> {
    this.state = 'stopped';
    const timeoutMs = this.config?.stopTimeoutMs ?? 0;
    const senders = [...this.senders];
    const leftovers = await Promise.all(senders.map(([, sender]) => sender.stop(timeoutMs)));
    for (const [index, [channel]] of senders.entries()) await this.keepOrDrop(channel, leftovers[index] ?? []);
    this.logDropSummary();
  }

  private async keepOrDrop(channel: string, payloads: Payload[]): Promise<void> {
    const spoolDir = this.config?.backlogPath;
    if (spoolDir === undefined) {
      if (payloads.length > 0) countDrop(this.counters, 'at_stop', payloads.length);
      return;
    }
    try {
      await writeSpool(spoolDir, channel, payloads);
      this.counters.spooled += payloads.length;
      if (payloads.length > 0) this.context.log.info(`${channel}: spooled ${payloads.length} undelivered payload(s) for the next start`);
    } catch (error) {
      countDrop(this.counters, 'at_stop', payloads.length);
      this.context.log.error(`${channel}: cannot write the spool in ${spoolDir}: ${(error as Error).message}`);
    }
  }

  private async reloadSpool(dir: string, channel: string, sender: ChannelSender): Promise<void> {
    let payloads: Payload[];
    try {
      payloads = await takeSpool(dir, channel);
    } catch (error) {
      this.context.log.error(`${channel}: spool not reloaded: ${(error as Error).message}`);
      return;
    }
    for (const payload of payloads) sender.enqueue(payload);
    if (payloads.length > 0) this.context.log.info(`${channel}: reloaded ${payloads.length} spooled payload(s)`);
  }

  private async prepareSpoolDir(dir: string): Promise<void> {
    try {
      await ensureSpoolDir(dir);
    } catch (error) {
      const file = this.context.configFile ?? 'netify-sink-http.json';
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new PluginConfigError(file, '/backlog_path', `${file}: /backlog_path cannot be created: ${reason} (got ${JSON.stringify(dir)})`);
    }
  }

  private logDropSummary(): void {
    const summary = describeDrops(this.counters, HTTP_DROP_REASONS);
    if (summary !== undefined) this.context.log.warn(summary);
  }
}

/** What a channel's sender is made from: its target and the delivery settings. */
function senderIdentity(target: ChannelTarget, config: ResolvedHttpConfig): string {
  const { url, ...settings } = target;
  return JSON.stringify({ url: url.href, ...settings, backlog: config.maxBacklogBytes, retry: [config.retryMinMs, config.retryMaxMs] });
}

function describeTarget(target: ChannelTarget): string {
  return `${target.url.origin}${target.url.pathname}`;
}
