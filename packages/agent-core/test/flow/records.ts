import type { FlowRecord, TickFlowRecord, TickRecord } from '../../src/flow/engine-records.js';
import { readDataFile, type NdpiIdsFile } from '../../src/flow/data-files.js';

const ndpiIds = readDataFile<NdpiIdsFile>('ndpi-ids.json');

/** The linked nDPI's numeric id of a protocol symbol (fails the test if nDPI has none). */
export function ndpi(symbol: string): number {
  const id = ndpiIds.protocols[`NDPI_PROTOCOL_${symbol}`];
  if (id === undefined) throw new Error(`nDPI has no NDPI_PROTOCOL_${symbol}`);
  return id;
}

/** The linked nDPI's numeric id of a risk symbol. */
export function ndpiRisk(symbol: string): number {
  const id = ndpiIds.risks[`NDPI_${symbol}`];
  if (id === undefined) throw new Error(`nDPI has no NDPI_${symbol}`);
  return id;
}

/**
 * An engine flow record as native-dpi would send it: the github flow of the
 * `443-git` capture (140.82.114.4:443 ↔ 192.168.1.13:55744) unless overridden.
 */
export function flowRecord(overrides: Partial<FlowRecord> = {}): FlowRecord {
  return {
    kind: 'new',
    flowId: 1,
    source: 0,
    ipVersion: 4,
    ipProtocol: 6,
    vlanId: 0,
    ipDscp: 0,
    lowerIp: '140.82.114.4',
    upperIp: '192.168.1.13',
    lowerPort: 443,
    upperPort: 55744,
    lowerMac: '10:13:31:f1:39:76',
    upperMac: '28:37:37:00:6d:c8',
    originLower: false,
    firstSeenMs: 1_470_000_000_000,
    lastSeenMs: 1_470_000_000_823,
    lowerBytes: 34022,
    lowerPackets: 35,
    upperBytes: 3167,
    upperPackets: 35,
    detectionPackets: 7,
    ndpiMaster: ndpi('TLS'),
    ndpiApp: ndpi('GITHUB'),
    protocolName: 'TLS.Github',
    ndpiCategory: 15,
    confidence: 'DPI',
    guessed: false,
    risks: [],
    riskScore: 0,
    riskScoreClient: 0,
    riskScoreServer: 0,
    hostName: 'github.com',
    ...overrides,
  };
}

export function tickFlow(flowId: number, overrides: Partial<TickFlowRecord> = {}): TickFlowRecord {
  return {
    flowId,
    source: 0,
    lastSeenMs: 1_470_000_000_823,
    lowerBytes: 0,
    lowerPackets: 0,
    upperBytes: 0,
    upperPackets: 0,
    lowerActiveSeconds: 0,
    upperActiveSeconds: 0,
    totalBytes: 0,
    totalPackets: 0,
    detectionPackets: 0,
    tcpResets: 0,
    tcpRetrans: 0,
    tcpSeqErrors: 0,
    ...overrides,
  };
}

export function tickRecord(flows: TickFlowRecord[] = [], overrides: Partial<TickRecord> = {}): TickRecord {
  return { kind: 'tick', timeMs: 1_470_000_015_000, final: false, flows, sources: [], ...overrides };
}
