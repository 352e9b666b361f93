import type {
  DetectionUpdatedEvent,
  FlowDpiCompleteEvent,
  FlowExpireEvent,
  FlowNewEvent,
  Logger,
} from '@netifyd/plugin-sdk';
import type { ApplicationDetector } from '../apps/application-detector.js';
import { ApplicationTable } from './applications.js';
import { flowDigest } from './digest.js';
import { EndpointRecorder } from './endpoints.js';
import type { EngineRecord, FlowRecord } from './engine-records.js';
import { buildFlow, metadataCount, type NdpiCategoryLookup } from './flow-builder.js';
import { FlowSources, type FlowSourceConfig } from './flow-sources.js';
import { FlowState } from './flow-state.js';
import { parseIp, parseMac } from './ip-address.js';
import { isLocalOrigin, mapLocalOther } from './local-other.js';
import { applyDetection } from './protocol-detection.js';
import { ProtocolTable } from './protocols.js';
import { RiskTable } from './risks.js';
import { TickAssembler, type FlowTick } from './tick-assembler.js';

export interface FlowModelOptions {
  readonly sources: readonly FlowSourceConfig[];
  readonly logger?: Logger;
  /** nDPI's protocol table (`Engine.ndpiProtocols()`): gives `category.protocol` per protocol. */
  readonly ndpiProtocols?: ReadonlyArray<{ readonly id: number; readonly category: number }>;
  /** Tables to share between models; loaded from the package's data files by default. */
  readonly protocols?: ProtocolTable;
  readonly risks?: RiskTable;
  readonly applications?: ApplicationTable;
  /** Application definitions, categories and DNS hints; without it, the nDPI service table above. */
  readonly applicationDetector?: ApplicationDetector;
}

/** An engine source reached its end (EOF, or failed with `error`). */
export interface SourceEndEvent {
  type: 'source_end';
  source: number;
  interface: string;
  error?: string;
}

export type FlowModelEvent = FlowNewEvent | DetectionUpdatedEvent | FlowDpiCompleteEvent | FlowExpireEvent | FlowTick | SourceEndEvent;

const TCP = 6;

/**
 * Turns native-dpi engine batches into the agent's flow events: `flow_new`,
 * `detection_updated`, `flow_dpi_complete`, `flow_expire` as records arrive and, per tick
 * record, one `tick` bundle (all of a TickEvent but `status`). Keeps per flow only what is
 * fixed at the first packet and netifyd's detection state; a flow is forgotten when purged.
 * Enforces the event order of FORMATS §1.2: exactly one `flow_new` first, updates only before
 * completion, exactly one `flow_dpi_complete`, which always precedes `flow_expire`.
 */
export class FlowModel {
  private readonly flows = new Map<number, FlowState>();
  private expired: FlowState[] = [];
  private readonly sources: FlowSources;
  private readonly endpoints: EndpointRecorder;
  private readonly ticks: TickAssembler;
  private readonly protocols: ProtocolTable;
  private readonly risks: RiskTable;
  private readonly applications: ApplicationTable;
  private readonly detector: ApplicationDetector | undefined;
  private readonly isOtherAddress = (bytes: Uint8Array) => this.sources.classifier.classify(bytes) === 'other';
  private readonly ndpiCategory: NdpiCategoryLookup | undefined;

  constructor(options: FlowModelOptions) {
    this.sources = new FlowSources(options.sources, options.logger);
    this.endpoints = new EndpointRecorder((mac) => this.sources.classifier.isReservedMac(mac));
    this.ticks = new TickAssembler(this.sources, this.endpoints);
    this.protocols = options.protocols ?? new ProtocolTable(options.logger);
    this.risks = options.risks ?? new RiskTable(options.logger);
    this.applications = options.applications ?? new ApplicationTable();
    this.detector = options.applicationDetector;
    if (options.ndpiProtocols) {
      const categories = new Map(options.ndpiProtocols.map((entry) => [entry.id, entry.category]));
      this.ndpiCategory = (ndpiId) => categories.get(ndpiId);
    }
  }

  /** Flows currently tracked (classified, not yet purged). */
  get flowCount(): number {
    return this.flows.size;
  }

  /** Feeds one engine batch; returns the events it produces, in order. */
  onRecords(records: readonly EngineRecord[]): FlowModelEvent[] {
    const events: FlowModelEvent[] = [];
    for (const record of records) {
      switch (record.kind) {
        case 'tick': {
          const expired = this.expired;
          this.expired = [];
          events.push(this.ticks.assemble(record, this.flows, expired));
          break;
        }
        case 'dns_answer':
          this.detector?.learn(record, this.isOtherAddress);
          break;
        case 'source_end': {
          const event: SourceEndEvent = { type: 'source_end', source: record.source, interface: this.sources.envelope(record.source).interface };
          if (record.error !== undefined) event.error = record.error;
          events.push(event);
          break;
        }
        default:
          this.onFlowRecord(record, events);
      }
    }
    return events;
  }

  private onFlowRecord(record: FlowRecord, events: FlowModelEvent[]): void {
    let state = this.flows.get(record.flowId);
    // A 'new' for a completed flow is the engine's DNS flow reuse (FORMATS §6.2): the flow
    // starts over, same digest, and goes through flow_new…flow_dpi_complete again.
    if (!state || (record.kind === 'new' && state.complete && !state.expired)) {
      state = this.track(record);
      this.flows.set(record.flowId, state);
    }
    if (state.expired) return;
    switch (record.kind) {
      case 'new':
        if (!state.announced) this.announce(state, record, record.guessed, events);
        return;
      case 'dpi_update':
        if (!state.announced) this.announce(state, record, false, events);
        else if (!state.complete) {
          this.detect(state, record, false);
          events.push(this.flowEvent('detection_updated', state, record));
        }
        return;
      case 'dpi_complete':
        this.completeOnce(state, record, events);
        return;
      case 'expire':
        this.completeOnce(state, record, events);
        this.expire(state, record, events);
    }
  }

  private announce(state: FlowState, record: FlowRecord, completing: boolean, events: FlowModelEvent[]): void {
    this.detect(state, record, completing);
    state.announced = true;
    events.push(this.flowEvent('flow_new', state, record));
  }

  private completeOnce(state: FlowState, record: FlowRecord, events: FlowModelEvent[]): void {
    if (state.complete) return;
    if (!state.announced) this.announce(state, record, true, events);
    else if (this.detect(state, record, true)) events.push(this.flowEvent('detection_updated', state, record));
    state.complete = true;
    events.push(this.flowEvent('flow_dpi_complete', state, record));
  }

  private expire(state: FlowState, record: FlowRecord, events: FlowModelEvent[]): void {
    state.expired = true;
    state.reason = record.reason === 'closed' || (record.reason === undefined && (record.tcpFinAck || record.tcpRst)) ? 'closed' : 'expired';
    state.lastSeenMs = record.lastSeenMs;
    state.totalBytes = record.lowerBytes + record.upperBytes;
    state.totalPackets = record.lowerPackets + record.upperPackets;
    state.detectionPackets = record.detectionPackets;
    this.expired.push(state);
    const { interface: name, internal } = state.source;
    events.push({ type: 'flow_expire', interface: name, internal, reason: state.reason, flow: buildFlow(record, state, this.ndpiCategory) });
  }

  /**
   * Applies a record's detection while DPI is still running; freezes it at completion.
   * Returns true when the DNS hint cache named the flow only after its first classification.
   */
  private detect(state: FlowState, record: FlowRecord, completing: boolean): boolean {
    if (state.complete) return false;
    applyDetection(state, this.protocols, record, completing);
    const lateHint = this.detectApplication(state, record);
    const count = metadataCount(record);
    state.detectionUpdated = state.announced && (count > state.metadataCount || lateHint);
    state.metadataCount = count;
    if (completing) {
      state.riskIds = this.risks.map(record.risks);
      state.riskScore = record.riskScore;
      state.riskScoreClient = record.riskScoreClient;
      state.riskScoreServer = record.riskScoreServer;
    }
    return lateHint;
  }

  private detectApplication(state: FlowState, record: FlowRecord): boolean {
    if (!state.apps || !this.detector) {
      state.application ??= this.applications.lookup(record.ndpiApp, record.ndpiMaster);
      return false;
    }
    if (!state.announced) {
      this.detector.classify(state, record);
      return false;
    }
    return this.detector.update(state, record);
  }

  private flowEvent<T extends 'flow_new' | 'detection_updated' | 'flow_dpi_complete'>(type: T, state: FlowState, record: FlowRecord) {
    const { interface: name, internal } = state.source;
    return { type, interface: name, internal, flow: buildFlow(record, state, this.ndpiCategory) };
  }

  /** The fixed part of a flow: envelope, address classes, local/other, digest, endpoints. */
  private track(record: FlowRecord): FlowState {
    const source = this.sources.envelope(record.source);
    const classifier = this.sources.classifier;
    const lower = parseIp(record.lowerIp);
    const upper = parseIp(record.upperIp);
    const lowerClass = classifier.classify(lower);
    const upperClass = classifier.classify(upper);
    const { lowerIsLocal, otherType } = mapLocalOther(lowerClass, upperClass, record.ipVersion);
    const digest = flowDigest({
      interfaceName: source.interface,
      ipVersion: record.ipVersion,
      ipProtocol: record.ipProtocol,
      vlanId: record.vlanId,
      lowerAddress: lower ?? new Uint8Array(0),
      upperAddress: upper ?? new Uint8Array(0),
      lowerMac: record.lowerIp === '0.0.0.0' ? parseMac(record.lowerMac) : undefined,
      lowerPort: record.lowerPort,
      upperPort: record.upperPort,
    });
    this.endpoints.observe(record.lowerMac, record.lowerIp, lowerClass);
    this.endpoints.observe(record.upperMac, record.upperIp, upperClass);
    const localOrigin = isLocalOrigin(record.originLower, lowerIsLocal);
    const state = new FlowState(record.flowId, source, digest, lowerIsLocal, otherType, localOrigin, record.ipProtocol === TCP);
    if (this.detector) state.apps = this.detector.begin(lower, upper, lowerClass === 'other', upperClass === 'other');
    return state;
  }
}
