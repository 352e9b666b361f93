import type { AgentEvent } from './events.js';
import type { Payload } from './payload.js';

export type PluginKind = 'processor' | 'sink';

/** Log lines are prefixed with the plugin instance name by the agent. Never log secrets. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AgentIdentity {
  /** Agent uuid (`${uuid_agent}`). */
  readonly uuid: string;
  /** Serial uuid (`${uuid_serial}`). */
  readonly uuidSerial: string;
  readonly uuidSite: string;
  readonly version: string;
  /** netifyd-style build string, e.g. `netifyd-ts/0.1.0 (Linux; x64)`. */
  readonly buildVersion: string;
}

export interface StatePaths {
  /** `path_state_persistent` (netifyd default /etc/netifyd). */
  readonly persistent: string;
  /** `path_state_volatile` (netifyd default /var/run/netifyd). */
  readonly volatile: string;
}

/** What a processor sees of a loaded sink: the agent isolates its failures. */
export interface SinkHandle {
  readonly name: string;
  channels(): readonly string[];
  /** False when refused (unknown channel, queue full, sink failed). Never throws. */
  dispatch(channel: string, payload: Payload): boolean;
}

export interface SinkDirectory {
  get(name: string): SinkHandle | undefined;
  names(): readonly string[];
}

export interface PluginContext {
  /** Instance name: the loader file's section name, e.g. `sink-log`. */
  readonly name: string;
  /** Path of the plugin's JSON config (`conf_filename`), for error messages. */
  readonly configFile: string | undefined;
  readonly log: Logger;
  readonly agent: AgentIdentity;
  readonly paths: StatePaths;
  /** Loaded sinks by instance name. Processors use it; sinks see it too. */
  readonly sinks: SinkDirectory;
  /**
   * For connection-oriented sinks: what a client newly connected to `channel` gets
   * first (e.g. `agent_hello`, a dump of active flows), asked of every processor that
   * routes to this sink's channel. Returns [] when none does.
   */
  greetings(channel: string): Payload[];
  /**
   * A section of the agent's `netifyd.conf` as raw INI key/value strings (undefined if
   * absent), for plugins that honour netifyd's older settings such as `[socket]`.
   */
  agentConfig(section: string): Readonly<Record<string, string>> | undefined;
}

/**
 * Lifecycle shared by every plugin. Call guarantees from the agent:
 * `init` once before anything else; `start` after every sink has started (for
 * processors); `reload` only between `start` and `stop`; `stop` once, and nothing else
 * is called after it. All may reject; the agent then logs, counts and isolates the plugin.
 */
export interface PluginLifecycle {
  /** `config` is the parsed JSON of `conf_filename`, or undefined when there is none. */
  init(config: unknown): Promise<void>;
  start(): Promise<void>;
  /** Optional: apply a changed config without losing events (SIGHUP). */
  reload?(config: unknown): Promise<void>;
  /** Stop intake, flush what is queued within the agent's stop deadline, close. */
  stop(): Promise<void>;
  /** Counters reported in `agent_status.plugins.<name>`. */
  stats?(): Record<string, number>;
}

export interface Processor extends PluginLifecycle {
  /** Called on the agent's event loop; never concurrently for one processor. */
  onEvent(event: AgentEvent): void | Promise<void>;
  /** See PluginContext.greetings: payloads for a new client of a sink's channel. */
  greetings?(sink: string, channel: string): Payload[];
}

export interface SinkStats {
  queued: number;
  sent: number;
  dropped: number;
  errors: number;
  [counter: string]: number;
}

/**
 * What `Sink.channels()` returns for a sink whose config lists no channels and which
 * takes any channel name a processor routes to (netifyd's MQTT sink has no channel list).
 */
export const ANY_CHANNEL = '*';

export interface Sink extends PluginLifecycle {
  /** Channel names from the config, or `[ANY_CHANNEL]`; valid after `init`. */
  channels(): readonly string[];
  /**
   * Hands one payload to a channel. Never called before `start` or after `stop`.
   * Returns false when refused (unknown or disabled channel, queue full); transport
   * errors are counted in `stats()`, never thrown.
   */
  dispatch(channel: string, payload: Payload): boolean;
  stats(): SinkStats;
}

export interface PluginInstanceByKind {
  processor: Processor;
  sink: Sink;
}

/** What a plugin module's default export is. Plain data plus `create`. */
export interface PluginFactory<K extends PluginKind = PluginKind> {
  /** The plugin ABI the plugin was built for, `MAJOR.MINOR` (usually PLUGIN_ABI). */
  readonly abi: string;
  readonly kind: K;
  /** Package-level name, e.g. `sink-log`. */
  readonly name: string;
  readonly version: string;
  create(context: PluginContext): PluginInstanceByKind[K];
}

/** Declares a plugin; the agent checks `abi` before calling `create`. */
export function definePlugin<K extends PluginKind>(factory: PluginFactory<K>): PluginFactory<K> {
  return Object.freeze({ ...factory });
}
