import type { AgentIdentity, Logger, TickEvent } from '@netifyd/plugin-sdk';
import { loadAgentConfig, type AgentConfig } from './config/agent-config.js';
import { readPluginEntries } from './plugins/loader-files.js';
import { PluginHost } from './plugins/plugin-host.js';
import { StatusReporter } from './status.js';
import { AGENT_VERSION, BUILD_VERSION } from './version.js';
import { describe } from './plugins/load-plugin.js';

export interface AgentOptions {
  readonly configFile: string;
  readonly log: Logger & { child(prefix: string): Logger };
  /** Upper bound for each plugin's flush at stop (default 5 s). */
  readonly stopTimeoutMs?: number;
}

/**
 * The running agent without capture: configuration, plugins, the update-interval tick and
 * agent status. Capture sources feed it flow events through the flow model.
 */
export class Agent {
  readonly plugins: PluginHost;
  private readonly status: StatusReporter;
  private timer: NodeJS.Timeout | undefined;
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
  }

  static async start(options: AgentOptions): Promise<Agent> {
    const config = loadAgentConfig(options.configFile);
    for (const notice of config.notices) options.log.debug(notice);
    const agent = new Agent(config, options);
    await agent.plugins.load(readPluginEntries(config.paths));
    await agent.plugins.start();
    agent.plugins.dispatch({
      type: 'agent_start',
      hello: { type: 'agent_hello', agent_version: AGENT_VERSION, build_version: BUILD_VERSION, json_version: 1.9 },
    });
    agent.timer = setInterval(() => agent.tick(false), config.updateIntervalS * 1000);
    return agent;
  }

  get updateIntervalS(): number {
    return this.config.updateIntervalS;
  }

  /** One update interval: status and counters to every processor. */
  tick(final: boolean): void {
    const event: TickEvent = {
      type: 'tick',
      status: this.status.build(this.plugins.status()),
      interfaces: { type: 'interfaces' },
      interfaceStats: { type: 'interface_stats' },
      globalStats: { type: 'global_stats', ...ZERO_COUNTERS },
      endpoints: { type: 'endpoints' },
      flowStats: [],
      purged: [],
      final,
    };
    this.plugins.dispatch(event);
  }

  /** SIGHUP: re-read netifyd.conf and the loader files; a broken config keeps the running one. */
  async reload(): Promise<void> {
    try {
      const config = loadAgentConfig(this.options.configFile);
      const entries = readPluginEntries(config.paths);
      this.config = config;
      await this.plugins.reload(entries);
      this.options.log.info(`configuration reloaded (${this.plugins.names().length} plugins active)`);
    } catch (error) {
      this.options.log.error(`reload refused, still running the previous configuration: ${describe(error)}`);
    }
  }

  /** Final tick, agent_stop, then plugins stopped in reverse order. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.timer);
      this.tick(true);
      this.plugins.dispatch({ type: 'agent_stop' });
      await this.plugins.stop();
    })();
    return this.stopping;
  }
}

const ZERO_COUNTERS = {
  raw: 0,
  ethernet: 0,
  mpls: 0,
  pppoe: 0,
  vlan: 0,
  fragmented: 0,
  discarded: 0,
  discarded_bytes: 0,
  largest_bytes: 0,
  ip: 0,
  tcp: 0,
  udp: 0,
  icmp: 0,
  igmp: 0,
  tcp_seq_errors: 0,
  tcp_resets: 0,
  ip_bytes: 0,
  wire_bytes: 0,
  flow_dropped: 0,
  queue_dropped: 0,
  capture_dropped: 0,
  capture_filtered: 0,
};
