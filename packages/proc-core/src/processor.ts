import type {
  AgentEvent,
  AgentHelloMessage,
  AgentStatusMessage,
  Payload,
  PluginContext,
  Processor,
  TickEvent,
} from '@netifyd/plugin-sdk';
import { parseConfig } from './config.js';
import { Dispatcher } from './dispatcher.js';
import { FlowRegistry, type TrackedFlow } from './flow-registry.js';
import { legacyHttpDocument } from './legacy-http.js';
import { FLOW_PAYLOAD_TYPES, MESSAGE_PAYLOAD_TYPES } from './message-routing.js';
import { FlowEnvelope } from './flow-envelope.js';
import { definitionsMessage, flowMessage, helloMessage } from './messages.js';
import { RouteTable, resolveRoutes, type Route } from './routes.js';

export interface ProcCoreStats {
  [counter: string]: number;
  messages: number;
  payloads_dispatched: number;
  payloads_refused: number;
  encode_errors: number;
  /** Events whose handling failed unexpectedly (logged once, then only counted). */
  events_failed: number;
}

type State = 'created' | 'started' | 'stopped';

/** Turns agent events into netifyd messages and routes them to the configured sink channels. */
export class ProcCore implements Processor {
  private readonly context: PluginContext;
  private readonly file: string;
  private readonly dispatcher: Dispatcher;
  private readonly registry = new FlowRegistry();
  private config = parseConfig(undefined, '');
  private table = new RouteTable([]);
  private hello: AgentHelloMessage;
  private lastStatus: AgentStatusMessage | undefined;
  private tracking = false;
  private state: State = 'created';
  private eventsFailed = 0;

  constructor(context: PluginContext) {
    this.context = context;
    this.file = context.configFile ?? context.name;
    this.dispatcher = new Dispatcher(context.log);
    this.hello = helloMessage(context.agent);
  }

  async init(config: unknown): Promise<void> {
    this.config = parseConfig(config, this.file);
  }

  /** Sinks are started by now: match channels with them and greet every channel. */
  async start(): Promise<void> {
    this.applyRoutes(new RouteTable([]));
    this.state = 'started';
  }

  async reload(config: unknown): Promise<void> {
    this.config = parseConfig(config, this.file);
    if (this.state === 'started') this.applyRoutes(this.table);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.dispatcher.summarize();
    this.table = new RouteTable([]);
    this.registry.clear();
  }

  stats(): ProcCoreStats {
    return { ...this.dispatcher.counters, events_failed: this.eventsFailed };
  }

  onEvent(event: AgentEvent): void {
    if (this.state !== 'started') return;
    try {
      this.handle(event);
    } catch (error) {
      this.eventsFailed++;
      if (this.eventsFailed === 1) {
        const reason = error instanceof Error ? error.message : String(error);
        this.context.log.error(`could not handle a ${event.type} event: ${reason}; further failures are only counted`);
      }
    }
  }

  /**
   * What a client newly connected to `sink`/`channel` gets first: `agent_hello`; for
   * legacy-socket the last `agent_status` (once a tick has passed) and `definitions`;
   * with `dump_established_flows`, every active flow with `established: true`.
   */
  greetings(sink: string, channel: string): Payload[] {
    const route = this.state === 'started' ? this.table.find(sink, channel) : undefined;
    if (!route) return [];
    const types = route.config.types;
    const payloads = [this.dispatcher.payloadFor(route, 'agent_hello', types, this.hello)];
    if (types.includes('legacy-socket')) {
      if (this.lastStatus) {
        const statusTypes = types.filter((type) => MESSAGE_PAYLOAD_TYPES.agent_status.includes(type));
        payloads.push(this.dispatcher.payloadFor(route, 'agent_status', statusTypes, this.lastStatus));
      }
      payloads.push(this.dispatcher.payloadFor(route, 'definitions', ['legacy-socket'], definitionsMessage()));
    }
    const flowTypes = types.filter((type) => FLOW_PAYLOAD_TYPES.includes(type));
    if (route.config.dumpEstablishedFlows && flowTypes.length > 0) {
      for (const tracked of this.registry.active()) {
        payloads.push(this.dispatcher.payloadFor(route, 'flow', flowTypes, flowMessage('flow', tracked, true)));
      }
    }
    return payloads.filter((payload): payload is Payload => payload !== undefined);
  }

  private applyRoutes(previous: RouteTable): void {
    this.table = resolveRoutes(this.config, this.context.sinks, this.context.log, this.file);
    if (this.table.routes.length === 0) this.context.log.warn(`${this.file}: no sink channel to route to; nothing is emitted`);
    this.tracking = this.table.routes.some(needsFlowRegistry);
    if (!this.tracking) this.registry.clear();
    const fresh = this.table.routes.filter((route) => !previous.find(route.config.sink, route.config.channel));
    this.dispatcher.send(new RouteTable(fresh), 'agent_hello', this.hello);
  }

  private handle(event: AgentEvent): void {
    const { dispatcher, table } = this;
    switch (event.type) {
      case 'agent_start':
        this.hello = event.hello;
        return;
      case 'flow_new':
        this.track(event);
        dispatcher.send(table, 'flow', new FlowEnvelope(event));
        return;
      case 'detection_updated':
        this.track(event);
        dispatcher.send(table, 'flow_dpi_update', new FlowEnvelope(event));
        return;
      case 'flow_dpi_complete': {
        this.track(event);
        const envelope = new FlowEnvelope(event);
        dispatcher.send(table, 'flow_dpi_complete', envelope);
        dispatcher.send(table, 'legacy_flow', envelope);
        return;
      }
      case 'flow_expire':
        this.track(event);
        return;
      case 'tick':
        this.onTick(event);
        return;
      default:
        return;
    }
  }

  /** netifyd's tick order (FORMATS §1.3), then the legacy-http document of the interval. */
  private onTick(tick: TickEvent): void {
    checkTick(tick);
    const { dispatcher, table } = this;
    dispatcher.send(table, 'agent_status', tick.status);
    dispatcher.send(table, 'interfaces', tick.interfaces);
    dispatcher.send(table, 'interface_stats', tick.interfaceStats);
    dispatcher.send(table, 'global_stats', tick.globalStats);
    dispatcher.send(table, 'endpoints', tick.endpoints);
    if (table.has('flow_stats')) {
      for (const entry of tick.flowStats) dispatcher.send(table, 'flow_stats', new FlowEnvelope(entry));
    }
    if (table.has('flow_purge')) {
      for (const entry of tick.purged) dispatcher.send(table, 'flow_purge', new FlowEnvelope(entry, entry.reason));
    }
    if (table.has('legacy_http')) dispatcher.send(table, 'legacy_http', legacyHttpDocument(tick, this.registry));
    if (this.tracking) for (const entry of tick.purged) this.registry.forget(entry.flow);
    this.lastStatus = tick.status;
  }

  /** Checks the flow event's shape before anything is sent, so a bad event sends nothing. */
  private track(event: TrackedFlow): void {
    const { flow } = event as Partial<TrackedFlow>;
    if (typeof flow !== 'object' || flow === null || typeof flow.digest !== 'string') {
      throw new TypeError('the event carries no flow object with a digest');
    }
    if (this.tracking) this.registry.update(event);
  }
}

/** Checks a tick's shape before anything is sent, so a malformed tick sends nothing. */
function checkTick(tick: TickEvent): void {
  const parts = [tick.status, tick.interfaces, tick.interfaceStats, tick.globalStats, tick.endpoints] as unknown[];
  if (parts.some((part) => typeof part !== 'object' || part === null)) {
    throw new TypeError('the tick lacks one of status, interfaces, interfaceStats, globalStats, endpoints');
  }
  if (!Array.isArray(tick.flowStats) || !Array.isArray(tick.purged)) {
    throw new TypeError('the tick lacks its flowStats or purged list');
  }
}

function needsFlowRegistry(route: Route): boolean {
  const { types, dumpEstablishedFlows } = route.config;
  return types.includes('legacy-http') || (dumpEstablishedFlows && types.some((type) => FLOW_PAYLOAD_TYPES.includes(type)));
}
