import { Engine, type EngineRecord } from '@netifyd/native-dpi';
import { isNetifydError, type Logger } from '@netifyd/plugin-sdk';
import type { SourceSpec } from '../cli/args.js';
import type { ApplicationDetector } from '../apps/application-detector.js';
import type { AgentConfig } from '../config/agent-config.js';
import { ConfigError } from '../errors.js';
import { FlowModel, type FlowModelEvent, type FlowSourceConfig } from '../flow/index.js';

export interface CaptureOptions {
  readonly config: AgentConfig;
  readonly sources: readonly SourceSpec[];
  /** Read capture files at their own pace. */
  readonly replay: boolean;
  readonly log: Logger;
  /** Application detection for the flow model (definitions, categories, DNS hints). */
  readonly applications?: ApplicationDetector;
}

/**
 * The capture sources of one run: the native engine (capture, decode, flows, nDPI) and the
 * flow model that turns its batches into agent events. Opening checks every source before
 * anything starts, so a bad file, interface or filter leaves nothing half-running.
 */
export class CaptureSession {
  private constructor(
    private readonly engine: Engine,
    readonly model: FlowModel,
    readonly live: boolean,
  ) {}

  static open(options: CaptureOptions): CaptureSession {
    const { config, sources, replay, log, applications } = options;
    const engine = new Engine({
      detectionThreads: config.detectionThreads,
      maxDetectionPackets: config.maxDetectionPackets,
      maxFlows: config.maxFlows,
      tcpIdleTtlMs: config.ttlIdleTcpFlowS * 1000,
      idleTtlMs: config.ttlIdleFlowS * 1000,
      updateIntervalMs: config.updateIntervalS * 1000,
      // netifyd restarts a reused DNS flow at each new query while its hint cache is on.
      dnsFlowReuse: applications?.hints !== undefined,
    });
    const configs: FlowSourceConfig[] = [];
    for (const spec of sources) {
      const option = spec.role === 'lan' ? '-I' : '-E';
      let id: number;
      try {
        id = spec.file
          ? engine.addFileSource({ name: spec.name, path: spec.file, replay, ...(spec.filter ? { filter: spec.filter } : {}) })
          : engine.addLiveSource({ name: spec.name, iface: spec.iface!, snaplen: config.maxCaptureLength, ...(spec.filter ? { filter: spec.filter } : {}) });
      } catch (error) {
        void engine.close();
        const reason = isNetifydError(error) ? error.message : String(error);
        throw new ConfigError(isNetifydError(error) ? error.code : 'ERR_CAPTURE_OPEN', `${option} ${spec.file ?? spec.iface}: ${reason}`);
      }
      configs.push({
        source: id,
        name: spec.name,
        role: spec.role,
        captureType: 'pcap',
        ...(spec.file ? { captureFile: spec.file } : {}),
        localNetworks: spec.addresses,
      });
    }
    const model = new FlowModel({
      sources: configs,
      logger: log,
      ndpiProtocols: Engine.ndpiProtocols(),
      ...(applications ? { applicationDetector: applications } : {}),
    });
    return new CaptureSession(engine, model, sources.some((s) => !s.file));
  }

  /** Starts capture; `onEvents` receives each batch's agent events on the JS thread. */
  start(onEvents: (events: FlowModelEvent[]) => void): void {
    this.engine.start((records: EngineRecord[]) => onEvents(this.model.onRecords(records)));
  }

  /** Resolves when every capture file has ended and the final tick has been delivered. */
  whenDone(): Promise<void> {
    return this.engine.whenDone();
  }

  /** Stops capture; live flows are force-expired and a final tick is delivered first. */
  close(): Promise<void> {
    return this.engine.close();
  }

  /** Bytes read and file sizes of capture files, packets so far: for progress and the summary. */
  progress(): { packets: number; position: number } {
    const counters = this.engine.counters();
    let packets = 0;
    let position = 0;
    for (const source of counters.sources) {
      packets += source.packetsRead;
      position += source.filePosition;
    }
    return { packets, position };
  }
}
