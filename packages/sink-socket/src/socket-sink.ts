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
  private listeners = new Map<string, Listener[]>();
  private readonly counters: SocketCounters = { sent: 0, dropped: 0, errors: 0, clients_dropped: 0, clients_rejected: 0 };
  private malformedLogged = false;

  constructor(private readonly context: PluginContext) {}

  async init(config: unknown): Promise<void> {
    this.plans = this.plan(config);
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

  /**
   * SIGHUP: applies a changed config while the clients of every unchanged listener stay
   * connected. An invalid config throws before anything changes; listeners that changed or
   * went are closed, then new ones bound; one that cannot bind is logged and its channel
   * goes on with the others.
   */
  async reload(config: unknown): Promise<void> {
    const plans = this.plan(config);
    if (this.state !== 'running') {
      this.plans = plans;
      return;
    }
    const running = new Map<string, Listener>();
    for (const listener of this.allListeners()) running.set(listenerIdentity(listener.plan), listener);
    const next = new Map<string, Listener[]>();
    const opening: Array<{ channel: string; listener: Listener }> = [];
    for (const plan of plans.values()) {
      next.set(
        plan.name,
        plan.listeners.map((listenerPlan) => {
          const identity = listenerIdentity(listenerPlan);
          const kept = running.get(identity);
          if (kept) {
            running.delete(identity);
            return kept;
          }
          const listener = this.createListener(listenerPlan);
          opening.push({ channel: plan.name, listener });
          return listener;
        }),
      );
    }
    const closing = [...running.values()];
    const keptCount = [...next.values()].flat().length - opening.length;
    await Promise.all(closing.map((listener) => listener.close()));
    for (const { channel, listener } of opening) {
      try {
        await listener.start();
        this.context.log.info(`channel ${channel}: listening on ${listener.boundAddress()}`);
      } catch (error) {
        this.context.log.error(`channel ${channel}: ${(error as Error).message}; the channel goes on without this listener`);
        await listener.close();
        next.set(channel, (next.get(channel) ?? []).filter((other) => other !== listener));
      }
    }
    this.plans = plans;
    this.listeners = next;
    this.context.log.info(`reloaded: ${keptCount} listener(s) kept with their clients, ${opening.length} opened, ${closing.length} closed`);
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

  private plan(config: unknown): Map<string, ChannelPlan> {
    const file = this.context.configFile ?? 'netify-sink-socket.json';
    const plans = planChannels(config, file, this.context.agentConfig('socket'), this.context.log);
    const enabled = new Map(plans.filter((plan) => plan.enabled).map((plan) => [plan.name, plan]));
    if (enabled.size === 0) this.context.log.warn(`${file}: no enabled channels; nothing will be served`);
    return enabled;
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

/** What makes two listeners the same: the channel, the address and every setting (not where in the file they were written). */
function listenerIdentity(plan: ListenerPlan): string {
  const { key, configFile, configured, ...settings } = plan;
  return JSON.stringify(settings);
}
