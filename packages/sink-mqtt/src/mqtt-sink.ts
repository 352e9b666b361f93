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
    this.connection = new BrokerConnection(config.broker, config.status, this.context.agent, this.counters, this.context.log, {
      connected: (client) => queue.attach(client),
      disconnected: () => queue.detach(),
    });
    this.queue = queue;
    this.config = config;
    this.state = 'ready';
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
