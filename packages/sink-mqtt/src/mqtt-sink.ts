import type { Payload, PluginContext, Sink, SinkStats } from '@netifyd/plugin-sdk';
import { countDrop, createPayloadGuard, describeDrops } from '@netifyd/sink-kit';
import { BrokerConnection } from './broker-connection.js';
import { resolveMqttConfig } from './config.js';
import type { ResolvedMqttConfig } from './config.js';
import { MQTT_DROP_REASONS, createCounters } from './counters.js';
import { PublishQueue } from './publish-queue.js';

type State = 'created' | 'ready' | 'running' | 'stopped';

/** Creates the sink-mqtt instance the agent drives (init → start → dispatch… → stop). */
export function createMqttSink(context: PluginContext): Sink {
  return new MqttSink(context);
}

class MqttSink implements Sink {
  private state: State = 'created';
  private config: ResolvedMqttConfig | undefined;
  private queue: PublishQueue | undefined;
  private connection: BrokerConnection | undefined;
  private readonly counters = createCounters();
  private stopping: Promise<void> | undefined;
  private readonly hasBytes = createPayloadGuard(this.counters, (message) => this.context.log.error(message));

  constructor(private readonly context: PluginContext) {}

  async init(raw: unknown): Promise<void> {
    const config = await resolveMqttConfig(raw, this.context);
    const queue = new PublishQueue(config.maxQueueBytes, this.counters, this.context.log);
    this.connection = this.connect(config, queue);
    this.queue = queue;
    this.config = config;
    this.state = 'ready';
  }

  /**
   * SIGHUP: applies a changed config and keeps every queued payload. With the same broker
   * settings (address, credentials, TLS, client id, last will) the connection stays up;
   * otherwise the old connection says offline and closes, and what was waiting or in
   * flight goes out on the new one. Payloads dispatched before the reload keep their topic.
   * An invalid config is refused before anything changes.
   */
  async reload(raw: unknown): Promise<void> {
    const next = await resolveMqttConfig(raw, this.context);
    const { queue, connection, config } = this;
    if (this.state !== 'running' || !queue || !connection || !config) return;
    if (next.maxQueueBytes !== config.maxQueueBytes) queue.resize(next.maxQueueBytes);
    this.config = next;
    if (sameBroker(config, next)) {
      this.context.log.info(`reloaded: connection to ${next.broker.url} kept`);
      return;
    }
    queue.detach();
    const replacement = this.connect(next, queue);
    this.connection = replacement;
    await connection.close(next.stopTimeoutMs);
    replacement.start();
    this.context.log.info(`reloaded: now publishing to ${next.broker.url}; ${queue.backlogLength} waiting payload(s) carried over`);
  }

  async start(): Promise<void> {
    if (this.state !== 'ready') return;
    this.connection?.start();
    this.state = 'running';
  }

  channels(): readonly string[] {
    return this.config?.channelNames ?? [];
  }

  dispatch(channel: string, payload: Payload): boolean {
    const route = this.state === 'running' ? this.config?.route(channel) : undefined;
    if (!route || !this.queue) {
      this.counters.refused += 1;
      return false;
    }
    if (!this.hasBytes(channel, payload)) return false;
    return this.queue.enqueue(route, payload.data);
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  stats(): SinkStats {
    return {
      ...this.counters,
      backlog: this.queue?.backlogLength ?? 0,
      backlog_bytes: this.queue?.backlogBytes ?? 0,
      in_flight: this.queue?.inFlightCount ?? 0,
      connected: this.connection?.isConnected ? 1 : 0,
    };
  }

  private connect(config: ResolvedMqttConfig, queue: PublishQueue): BrokerConnection {
    return new BrokerConnection(config.broker, config.status, this.context.agent, this.counters, this.context.log, {
      connected: (client) => queue.attach(client),
      disconnected: () => queue.detach(),
    });
  }

  private async stopOnce(): Promise<void> {
    this.state = 'stopped';
    const { queue, connection, config } = this;
    if (!queue || !connection || !config) return;
    const deadline = Date.now() + config.stopTimeoutMs;
    await settleWithin(queue.whenIdle(), config.stopTimeoutMs);
    await connection.close(deadline - Date.now());
    const left = queue.discardAll();
    if (left > 0) countDrop(this.counters, 'at_stop', left);
    this.logDropSummary();
  }

  private logDropSummary(): void {
    const summary = describeDrops(this.counters, MQTT_DROP_REASONS);
    if (summary !== undefined) this.context.log.warn(summary);
  }
}

function sameBroker(a: ResolvedMqttConfig, b: ResolvedMqttConfig): boolean {
  return JSON.stringify(a.broker) === JSON.stringify(b.broker) && JSON.stringify(a.status) === JSON.stringify(b.status);
}

/** Waits for `promise` at most `ms` (timer unref'd). */
async function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}
