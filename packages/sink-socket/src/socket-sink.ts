import type { Payload, PluginContext, Sink, SinkStats } from '@netifyd/plugin-sdk';
import { planChannels, type ChannelPlan, type ListenerPlan } from './channel-plan.js';
import type { Listener, ListenerDependencies, SocketCounters } from './listener.js';
import { StreamListener } from './stream-listener.js';
import { UdpListener } from './udp-listener.js';
import { WsListener } from './ws-listener.js';

type State = 'created' | 'ready' | 'running' | 'stopped';

export interface SocketSinkStats extends SinkStats, SocketCounters {
  /** Bytes written to clients that they have not yet taken. */
  queued: number;
  /** Connected clients (UDP: live subscribers) across all listeners. */
  clients: number;
}

/** Serves each channel's messages to the clients of its listeners. */
export class SocketSink implements Sink {
  private state: State = 'created';
  private plans = new Map<string, ChannelPlan>();
  private readonly listeners = new Map<string, Listener[]>();
  private readonly counters: SocketCounters = { sent: 0, dropped: 0, errors: 0, clients_dropped: 0, clients_rejected: 0 };
  private malformedLogged = false;

  constructor(private readonly context: PluginContext) {}

  async init(config: unknown): Promise<void> {
    const file = this.context.configFile ?? 'netify-sink-socket.json';
    const plans = planChannels(config, file, this.context.agentConfig('socket'), this.context.log);
    this.plans = new Map(plans.filter((plan) => plan.enabled).map((plan) => [plan.name, plan]));
    if (this.plans.size === 0) this.context.log.warn(`${file}: no enabled channels; nothing will be served`);
    this.state = 'ready';
  }

  /** Binds every listener; if one cannot, those already bound are released and start rejects. */
  async start(): Promise<void> {
    if (this.state !== 'ready') return;
    try {
      for (const plan of this.plans.values()) {
        const listeners = plan.listeners.map((listenerPlan) => this.createListener(listenerPlan));
        this.listeners.set(plan.name, listeners);
        for (const listener of listeners) {
          await listener.start();
          this.context.log.info(`channel ${plan.name}: listening on ${listener.boundAddress()}`);
        }
      }
    } catch (error) {
      await this.closeListeners();
      throw error;
    }
    this.state = 'running';
  }

  channels(): readonly string[] {
    return [...this.plans.keys()];
  }

  /** The addresses a channel is bound to, ephemeral ports resolved (e.g. `tcp://127.0.0.1:41234`). */
  boundAddresses(channel: string): string[] {
    return (this.listeners.get(channel) ?? []).map((listener) => listener.boundAddress());
  }

  dispatch(channel: string, payload: Payload): boolean {
    const listeners = this.listeners.get(channel);
    if (this.state !== 'running' || !listeners) {
      this.counters.dropped++;
      return false;
    }
    if (!(payload?.data instanceof Uint8Array)) {
      // A processor bug; the agent must never see a throw from dispatch.
      this.counters.errors++;
      if (!this.malformedLogged) this.context.log.error(`channel ${channel}: refused a malformed payload (no data bytes); further ones are only counted`);
      this.malformedLogged = true;
      return false;
    }
    for (const listener of listeners) listener.broadcast(payload);
    return true;
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.closeListeners();
  }

  stats(): SocketSinkStats {
    let clients = 0;
    let queued = 0;
    for (const listener of this.allListeners()) {
      clients += listener.clientCount();
      queued += listener.queuedBytes();
    }
    return { queued, clients, ...this.counters };
  }

  private createListener(plan: ListenerPlan): Listener {
    const deps: ListenerDependencies = {
      plan,
      counters: this.counters,
      log: this.context.log,
      greetings: () => this.context.greetings(plan.channel),
    };
    switch (plan.address.scheme) {
      case 'unix':
      case 'tcp':
        return new StreamListener(deps);
      case 'udp':
        return new UdpListener(deps);
      case 'ws':
      case 'wss':
        return new WsListener(deps);
    }
  }

  private *allListeners(): Iterable<Listener> {
    for (const listeners of this.listeners.values()) yield* listeners;
  }

  private async closeListeners(): Promise<void> {
    await Promise.all([...this.allListeners()].map((listener) => listener.close()));
  }
}
