/**
 * A real sink plugin for the tests: it keeps every payload a channel accepts, in order,
 * and refuses payloads for unknown or disabled channels or beyond a channel's
 * `max_payloads`, as a sink with a bounded queue does.
 */
import { PLUGIN_ABI, createConfigValidator, definePlugin } from '@netifyd/plugin-sdk';
import type { Payload, PluginContext, Sink, SinkStats } from '@netifyd/plugin-sdk';

interface RecordingChannelConfig {
  enable?: boolean;
  max_payloads?: number;
}

interface RecordingSinkConfig {
  channels: Record<string, RecordingChannelConfig>;
}

const validate = createConfigValidator<RecordingSinkConfig>({
  type: 'object',
  properties: {
    channels: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { enable: { type: 'boolean' }, max_payloads: { type: 'integer', minimum: 0 } },
      },
    },
  },
  required: ['channels'],
});

export class RecordingSink implements Sink {
  readonly received = new Map<string, Payload[]>();
  private config: RecordingSinkConfig = { channels: {} };
  private readonly context: PluginContext;
  private started = false;
  private readonly counters: SinkStats = { queued: 0, sent: 0, dropped: 0, errors: 0 };

  constructor(context: PluginContext) {
    this.context = context;
  }

  async init(config: unknown): Promise<void> {
    this.config = validate(config, this.context.configFile ?? this.context.name);
    for (const name of Object.keys(this.config.channels)) this.received.set(name, []);
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  channels(): readonly string[] {
    return Object.keys(this.config.channels);
  }

  dispatch(channel: string, payload: Payload): boolean {
    const settings = this.config.channels[channel];
    const kept = this.received.get(channel);
    const full = settings?.max_payloads !== undefined && (kept?.length ?? 0) >= settings.max_payloads;
    if (!this.started || !settings || settings.enable === false || !kept || full) {
      this.counters.dropped++;
      return false;
    }
    kept.push(payload);
    this.counters.sent++;
    return true;
  }

  stats(): SinkStats {
    return { ...this.counters };
  }

  /** Payloads a channel accepted, in order. */
  payloads(channel: string): Payload[] {
    return this.received.get(channel) ?? [];
  }

  /** What a client newly connected to `channel` would get first, via the agent's context. */
  greet(channel: string): Payload[] {
    return this.context.greetings(channel);
  }
}

export const recordingSinkPlugin = definePlugin({
  abi: PLUGIN_ABI,
  kind: 'sink',
  name: 'sink-recording',
  version: '0.0.0',
  create: (context) => new RecordingSink(context),
});
