import type { AgentEvent, AgentIdentity, AgentStatusMessage, Logger, TickEvent } from '@netifyd/plugin-sdk';
import { ApplicationServices } from './apps/app-services.js';
import { CaptureSession } from './capture/capture-session.js';
import type { SourceSpec } from './cli/args.js';
import { loadAgentConfig, type AgentConfig } from './config/agent-config.js';
import { globalStatsMessage, zeroCounters, type FlowModelEvent, type FlowTick } from './flow/index.js';
import { describe } from './plugins/load-plugin.js';
import { readPluginEntries } from './plugins/loader-files.js';
import { PluginHost } from './plugins/plugin-host.js';
import { StatusFile } from './status-file.js';
import { StatusReporter } from './status.js';
import { AGENT_VERSION, BUILD_VERSION } from './version.js';

export interface AgentOptions {
  readonly configFile: string;
  readonly log: Logger & { child(prefix: string): Logger };
  /** Capture interfaces and files (-I/-E); none = an agent that only ticks. */
  readonly sources?: readonly SourceSpec[];
  /** Read capture files at their own pace. */
  readonly replay?: boolean;
  /** Upper bound for each plugin's flush at stop (default 5 s). */
  readonly stopTimeoutMs?: number;
  /** Sees every event the processors get (summary line, tests). */
  readonly observe?: (event: AgentEvent) => void;
}

/**
 * The running agent: configuration, plugins, capture (engine + flow model), the
 * update-interval tick with agent status, reload and stop. With capture, ticks follow the
 * engine (capture time for files, wall clock live); without, a timer drives them.
 */
export class Agent {
  readonly plugins: PluginHost;
  private readonly status: StatusReporter;
  private readonly statusFile: StatusFile;
  /** Application definitions, categories and the DNS hint cache. */
  private readonly apps: ApplicationServices;
  private timer: NodeJS.Timeout | undefined;
  private capture: CaptureSession | undefined;
  private statusWrittenAt = Number.NEGATIVE_INFINITY;
  private stopping: Promise<void> | undefined;

  private constructor(
    private config: AgentConfig,
    private readonly options: AgentOptions,
  ) {
    const agent: AgentIdentity = {
      uuid: config.uuid,
      uuidSerial: config.uuidSerial,
      uuidSite: config.uuidSite,
      version: AGENT_VERSION,
      buildVersion: BUILD_VERSION,
    };
    this.plugins = new PluginHost({
      log: options.log,
      agent,
      paths: { persistent: config.paths.persistent, volatile: config.paths.volatile },
      agentConfig: (section) => this.config.sections.get(section),
      stopTimeoutMs: options.stopTimeoutMs ?? 5000,
    });
    this.status = new StatusReporter(config.updateIntervalS);
    this.statusFile = new StatusFile(config.paths.volatile, options.log);
    this.apps = ApplicationServices.start(config, options.log);
  }

  /**
   * Opens capture first (a bad source fails before any plugin starts), then loads and starts
   * plugins, announces `agent_start` and starts capture or the tick timer.
   */
  static async start(options: AgentOptions): Promise<Agent> {
    const config = loadAgentConfig(options.configFile);
    for (const notice of config.notices) options.log.debug(notice);
    const agent = new Agent(config, options);
    const sources = options.sources ?? [];
    if (sources.length > 0) {
      agent.capture = CaptureSession.open({ config, sources, replay: options.replay ?? false, log: options.log, applications: agent.apps.detector });
    }
    await agent.plugins.load(readPluginEntries(config.paths));
    await agent.plugins.start();
    agent.emit({
      type: 'agent_start',
      hello: { type: 'agent_hello', agent_version: AGENT_VERSION, build_version: BUILD_VERSION, json_version: 1.9 },
    });
    if (agent.capture) agent.capture.start((events) => agent.onCaptureEvents(events));
    else agent.timer = setInterval(() => agent.emitTick(undefined, false), config.updateIntervalS * 1000);
    return agent;
  }

  get updateIntervalS(): number {
    return this.config.updateIntervalS;
  }

  get captureSession(): CaptureSession | undefined {
    return this.capture;
  }

  /** Resolves when every capture file has been read and its final tick delivered (never for live). */
  whenCaptureDone(): Promise<void> {
    return this.capture ? this.capture.whenDone() : new Promise(() => undefined);
  }

  /** SIGHUP: re-read netifyd.conf and the loader files; a broken config keeps the running one. */
  async reload(): Promise<void> {
    try {
      const config = loadAgentConfig(this.options.configFile);
      const entries = readPluginEntries(config.paths);
      this.config = config;
      this.apps.reload(config);
      await this.plugins.reload(entries);
      this.options.log.info(`configuration reloaded (${this.plugins.names().length} plugins active)`);
    } catch (error) {
      this.options.log.error(`reload refused, still running the previous configuration: ${describe(error)}`);
    }
  }

  /**
   * Stops capture (its final tick purges every flow) or runs a final tick, sends
   * `agent_stop`, then stops processors and sinks. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.timer);
      if (this.capture) await this.capture.close();
      else this.emitTick(undefined, true);
      this.apps.stop();
      this.emit({ type: 'agent_stop' });
      await this.plugins.stop();
    })();
    return this.stopping;
  }

  private onCaptureEvents(events: readonly FlowModelEvent[]): void {
    for (const event of events) {
      if (event.type === 'tick') this.emitTick(event, event.final);
      else if (event.type === 'source_end') {
        if (event.error) this.options.log.error(`${event.interface}: capture ended: ${event.error}`);
        else this.options.log.debug(`${event.interface}: end of capture`);
      } else this.emit(event);
    }
  }

  private emitTick(tick: FlowTick | undefined, final: boolean): void {
    if (tick) this.apps.tick(tick.timeMs);
    const status = this.status.build({
      plugins: () => this.plugins.status(),
      flows: tick?.figures,
      dhc: this.apps.hintCacheStatus(),
      signatures: this.apps.signatures,
      fresh: final,
    });
    const event: TickEvent = tick
      ? {
          type: 'tick',
          status,
          interfaces: tick.interfaces,
          interfaceStats: tick.interfaceStats,
          globalStats: tick.globalStats,
          endpoints: tick.endpoints,
          flowStats: tick.flowStats,
          purged: tick.purged,
          final,
        }
      : { type: 'tick', status, ...emptyTick(), final };
    this.writeStatusFile(status, final);
    this.emit(event);
  }

  /**
   * status.json holds the latest tick's status. A capture file ticks in capture time, far
   * faster than real time (thousands of ticks a second), so the file is rewritten only
   * when half an update interval of wall time has passed since the last write, and always
   * at the final tick. Live ticks are an interval apart: each one is written.
   */
  private writeStatusFile(status: AgentStatusMessage, final: boolean): void {
    const now = performance.now();
    if (!final && now - this.statusWrittenAt < (this.config.updateIntervalS * 1000) / 2) return;
    this.statusWrittenAt = now;
    this.statusFile.write(status);
  }

  private emit(event: AgentEvent): void {
    this.options.observe?.(event);
    this.plugins.dispatch(event);
  }
}

/** A tick of an agent without capture: no flows, zero counters. */
function emptyTick(): Omit<TickEvent, 'type' | 'status' | 'final'> {
  return {
    interfaces: { type: 'interfaces' },
    interfaceStats: { type: 'interface_stats' },
    globalStats: globalStatsMessage(zeroCounters()),
    endpoints: { type: 'endpoints' },
    flowStats: [],
    purged: [],
  };
}
