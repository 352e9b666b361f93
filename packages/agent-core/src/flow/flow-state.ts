import type { FlowSource, FlowStats, OtherType, PurgeReason } from '@netifyd/plugin-sdk';
import type { FlowApps } from '../apps/flow-apps.js';
import type { Application } from './applications.js';
import type { ProtocolState } from './protocol-detection.js';

const NO_RISKS: readonly number[] = Object.freeze([]);

/**
 * What the model keeps per flow between its first record and its purge: the fields fixed at
 * the first packet (digest, local/other mapping) and netifyd's detection state. Everything
 * else is rebuilt from each engine record, which carries the latest values.
 */
export class FlowState implements ProtocolState {
  protocol = 0;
  protocolName: string | undefined = undefined;
  guessed = false;
  application: Application | undefined = undefined;
  /** Definitions-based detection (dns_host_name, categories); undefined without definitions. */
  apps: FlowApps | undefined = undefined;
  /** `flow_new` was emitted. */
  announced = false;
  /** `flow_dpi_complete` was emitted. */
  complete = false;
  /** Count of update-worthy metadata fields seen (see flow-builder); a rise means "updated". */
  metadataCount = 0;
  detectionUpdated = false;
  /** Mapped at DPI completion (netifyd computes risks once). */
  riskIds: readonly number[] = NO_RISKS;
  riskScore = 0;
  riskScoreClient = 0;
  riskScoreServer = 0;
  /** Set by the expire record; the flow is purged at the next tick. */
  expired = false;
  reason: PurgeReason = 'expired';
  /** Interval counters of the purge tick, when the flow had traffic in it. */
  purgeStats: FlowStats | undefined = undefined;
  lastSeenMs = 0;
  totalBytes = 0;
  totalPackets = 0;
  detectionPackets = 0;

  constructor(
    readonly flowId: number,
    readonly source: FlowSource,
    readonly digest: string,
    readonly lowerIsLocal: boolean,
    readonly otherType: OtherType,
    readonly localOrigin: boolean,
    readonly isTcp: boolean,
  ) {}
}
