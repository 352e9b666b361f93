import type {
  AgentEvent,
  AgentIdentity,
  Logger,
  Payload,
  PluginContext,
  PluginFactory,
  PluginStatus,
  Processor,
  Sink,
  SinkDirectory,
  SinkHandle,
  StatePaths,
} from '@netifyd/plugin-sdk';
import { describe, importPluginFactory, readPluginConfig } from './load-plugin.js';
import type { PluginEntry } from './loader-files.js';

export interface HostEnvironment {
  readonly log: Logger & { child(prefix: string): Logger };
  readonly agent: AgentIdentity;
  readonly paths: StatePaths;
  agentConfig(section: string): Readonly<Record<string, string>> | undefined;
  /** Upper bound for one plugin's `stop()` (flush) before the agent moves on. */
  readonly stopTimeoutMs: number;
}

interface ActivePlugin {
  readonly entry: PluginEntry;
  readonly factory: PluginFactory;
  readonly instance: Processor | Sink;
  readonly log: Logger;
  started: boolean;
  events: number;
  errors: number;
  /** Events waiting while an async onEvent is still running. */
  backlog: AgentEvent[];
  busy: boolean;
}

/** A plugin that could not be loaded, with the one-line reason that was logged. */
export interface RefusedPlugin {
  readonly name: string;
  readonly reason: string;
}

const MAX_PROCESSOR_BACKLOG = 100_000;

/**
 * Owns the plugin instances: loads them from loader entries, runs their lifecycle (sinks
 * start before processors, stop after them), delivers events, and contains failures — a
 * plugin that throws is logged once, counted, and never takes the agent or others down.
 */
export class PluginHost {
  private readonly plugins = new Map<string, ActivePlugin>();
  /** ofKind('processor'), kept between changes: dispatch runs for every event. */
  private processors: ActivePlugin[] | undefined;
  private readonly refusedPlugins = new Map<string, RefusedPlugin>();
  private held: AgentEvent[] | undefined;
  private heldDropped = 0;
  private readonly sinkDirectory: SinkDirectory = {
    get: (name) => this.sinkHandle(name),
    names: () => this.ofKind('sink').map((p) => p.entry.name),
  };

  constructor(private readonly env: HostEnvironment) {}

  get refused(): readonly RefusedPlugin[] {
    return [...this.refusedPlugins.values()];
  }

  names(): string[] {
    return [...this.plugins.keys()];
  }

  /** Loads and initialises every enabled entry; failures refuse only that plugin. */
  async load(entries: readonly PluginEntry[]): Promise<void> {
    const enabled = entries.filter((e) => e.enabled);
    // Sinks first, so a processor's init already sees the sinks it routes to.
    for (const entry of [...enabled.filter((e) => e.kind === 'sink'), ...enabled.filter((e) => e.kind === 'processor')]) {
      await this.loadOne(entry);
    }
  }

  async start(): Promise<void> {
    for (const plugin of [...this.ofKind('sink'), ...this.ofKind('processor')]) await this.startOne(plugin);
  }

  /** Hands an event to every started processor, in order; never throws. */
  dispatch(event: AgentEvent): void {
    if (this.held) {
      if (this.held.length < MAX_PROCESSOR_BACKLOG) this.held.push(event);
      else if (this.heldDropped++ === 0) this.env.log.error('events arriving during a reload exceed the hold limit; dropping them');
      return;
    }
    this.processors ??= this.ofKind('processor');
    // A new list replaces this one when plugins change, so the loop sees a stable snapshot.
    for (const plugin of this.processors) {
      if (!plugin.started) continue;
      if (plugin.busy) {
        if (plugin.backlog.length >= MAX_PROCESSOR_BACKLOG) this.fail(plugin, 'onEvent', new Error('event backlog full; event dropped'));
        else plugin.backlog.push(event);
        continue;
      }
      this.deliver(plugin, event);
    }
  }

  /** SIGHUP: apply changed loader files and plugin configs without restarting the agent. */
  async reload(entries: readonly PluginEntry[]): Promise<void> {
    // Events that arrive while plugins are being swapped wait here, so none is lost.
    this.held = [];
    this.heldDropped = 0;
    try {
      await this.applyReload(entries);
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const event of held) this.dispatch(event);
    }
  }

  private async applyReload(entries: readonly PluginEntry[]): Promise<void> {
    const wanted = new Map(entries.filter((e) => e.enabled).map((e) => [e.name, e]));
    for (const plugin of [...this.plugins.values()].reverse()) {
      const next = wanted.get(plugin.entry.name);
      if (!next || next.library !== plugin.entry.library || next.kind !== plugin.entry.kind) await this.unload(plugin);
    }
    this.refusedPlugins.clear();
    const added: PluginEntry[] = [];
    for (const entry of wanted.values()) {
      const plugin = this.plugins.get(entry.name);
      if (!plugin) {
        added.push(entry);
        continue;
      }
      await this.reconfigure(plugin, entry);
    }
    await this.load(added);
    await this.start();
  }

  /** Stops processors (reverse start order), then sinks, each within the stop deadline. */
  async stop(): Promise<void> {
    const order = [...this.ofKind('processor').reverse(), ...this.ofKind('sink').reverse()];
    for (const plugin of order) await this.unload(plugin);
  }

  /** `agent_status.plugins`: type plus each plugin's own counters and the agent's. */
  status(): Record<string, PluginStatus> {
    const out: Record<string, PluginStatus> = {};
    for (const plugin of this.plugins.values()) {
      let own: Record<string, number> = {};
      try {
        own = plugin.instance.stats?.() ?? {};
      } catch (error) {
        this.fail(plugin, 'stats', error);
      }
      out[plugin.entry.name] = { ...own, type: plugin.entry.kind, events: plugin.events, plugin_errors: plugin.errors };
    }
    return out;
  }

  private async loadOne(entry: PluginEntry): Promise<void> {
    const log = this.env.log.child(entry.name);
    try {
      const factory = await importPluginFactory(entry);
      const config = readPluginConfig(entry);
      const instance = factory.create(this.contextFor(entry, log));
      const plugin: ActivePlugin = { entry, factory, instance, log, started: false, events: 0, errors: 0, backlog: [], busy: false };
      await instance.init(config);
      this.plugins.set(entry.name, plugin);
      this.processors = undefined;
      log.debug(`loaded ${factory.name} ${factory.version} (ABI ${factory.abi}) from ${entry.loaderFile}`);
    } catch (error) {
      this.refuse(entry.name, describe(error), log);
    }
  }

  private async startOne(plugin: ActivePlugin): Promise<void> {
    if (plugin.started) return;
    try {
      await plugin.instance.start();
      plugin.started = true;
    } catch (error) {
      this.refuse(plugin.entry.name, `start failed: ${describe(error)}`, plugin.log);
      this.plugins.delete(plugin.entry.name);
      this.processors = undefined;
      await this.stopWithDeadline(plugin);
    }
  }

  private async reconfigure(plugin: ActivePlugin, entry: PluginEntry): Promise<void> {
    let config: unknown;
    try {
      config = readPluginConfig(entry);
    } catch (error) {
      plugin.log.error(`reload refused, keeping the running config: ${describe(error)}`);
      return;
    }
    if (plugin.instance.reload) {
      try {
        await plugin.instance.reload(config);
      } catch (error) {
        plugin.log.error(`reload refused, keeping the running config: ${describe(error)}`);
      }
      return;
    }
    await this.unload(plugin);
    await this.loadOne(entry);
  }

  private async unload(plugin: ActivePlugin): Promise<void> {
    this.plugins.delete(plugin.entry.name);
    this.processors = undefined;
    await this.drain(plugin);
    await this.stopWithDeadline(plugin);
  }

  private async stopWithDeadline(plugin: ActivePlugin): Promise<void> {
    plugin.started = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.env.stopTimeoutMs);
    });
    try {
      const result = await Promise.race([plugin.instance.stop().then(() => 'stopped' as const), deadline]);
      if (result === 'timeout') plugin.log.warn(`did not stop within ${this.env.stopTimeoutMs} ms; moving on`);
    } catch (error) {
      this.fail(plugin, 'stop', error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits (bounded by the stop deadline) for an async processor to finish its backlog. */
  private async drain(plugin: ActivePlugin): Promise<void> {
    const until = Date.now() + this.env.stopTimeoutMs;
    while ((plugin.busy || plugin.backlog.length > 0) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private deliver(plugin: ActivePlugin, event: AgentEvent): void {
    plugin.events++;
    let result: void | Promise<void>;
    try {
      result = (plugin.instance as Processor).onEvent(event);
    } catch (error) {
      this.fail(plugin, 'onEvent', error);
      return;
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      plugin.busy = true;
      (result as Promise<void>).then(
        () => this.next(plugin),
        (error: unknown) => {
          this.fail(plugin, 'onEvent', error);
          this.next(plugin);
        },
      );
    }
  }

  private next(plugin: ActivePlugin): void {
    plugin.busy = false;
    const event = plugin.backlog.shift();
    if (event) this.deliver(plugin, event);
  }

  private fail(plugin: ActivePlugin, where: string, error: unknown): void {
    plugin.errors++;
    if (plugin.errors === 1) plugin.log.error(`${where} failed: ${describe(error)} (further errors are only counted)`);
  }

  private refuse(name: string, reason: string, log: Logger): void {
    this.refusedPlugins.set(name, { name, reason });
    log.error(reason);
  }

  private ofKind(kind: 'processor' | 'sink'): ActivePlugin[] {
    return [...this.plugins.values()].filter((p) => p.entry.kind === kind);
  }

  private sinkHandle(name: string): SinkHandle | undefined {
    // Looked up on every call: a sink that a reload restarted keeps serving the same handle.
    const current = () => {
      const plugin = this.plugins.get(name);
      return plugin?.entry.kind === 'sink' ? plugin : undefined;
    };
    if (!current()) return undefined;
    return {
      name,
      channels: () => {
        const plugin = current();
        if (!plugin) return [];
        try {
          return (plugin.instance as Sink).channels();
        } catch (error) {
          this.fail(plugin, 'channels', error);
          return [];
        }
      },
      dispatch: (channel: string, payload: Payload) => {
        const plugin = current();
        if (!plugin?.started) return false;
        try {
          return (plugin.instance as Sink).dispatch(channel, payload);
        } catch (error) {
          this.fail(plugin, 'dispatch', error);
          return false;
        }
      },
    };
  }

  private greetings(sinkName: string, channel: string): Payload[] {
    const payloads: Payload[] = [];
    for (const plugin of this.ofKind('processor')) {
      const processor = plugin.instance as Processor;
      if (!plugin.started || !processor.greetings) continue;
      try {
        payloads.push(...processor.greetings(sinkName, channel));
      } catch (error) {
        this.fail(plugin, 'greetings', error);
      }
    }
    return payloads;
  }

  private contextFor(entry: PluginEntry, log: Logger): PluginContext {
    return {
      name: entry.name,
      configFile: entry.configFile,
      log,
      agent: this.env.agent,
      paths: this.env.paths,
      sinks: this.sinkDirectory,
      greetings: (channel) => this.greetings(entry.name, channel),
      agentConfig: (section) => this.env.agentConfig(section),
    };
  }
}
