// Decodes one batch from the addon into record objects. The layout is defined once, in
// src/native/events/record.h; this is its only reader.
import { EngineError } from './errors.js';
import { readDetection, UNKNOWN_DETECTION, type DetectionFields } from './record-detection.js';
import { ipv4Text, Reader, type TextCache } from './record-reader.js';
import type {
  DnsAnswerAddress,
  DnsAnswerRecord,
  EngineRecord,
  ExpireReason,
  FlowRecord,
  FlowRecordKind,
  TickFlowStats,
  TickRecord,
} from './types.js';

/** The layout this decoder reads: kRecordFormat in src/native/events/record.h ("NDR4"). */
export const RECORD_FORMAT = 0x4e445234;

const FLOW_KINDS: Record<number, FlowRecordKind> = { 1: 'new', 2: 'dpi_update', 3: 'dpi_complete', 4: 'expire' };
const KIND_TICK = 5;
const KIND_SOURCE_END = 6;
const KIND_DNS_ANSWER = 7;
const REASONS: Record<number, ExpireReason> = { 1: 'closed', 2: 'expired', 3: 'terminated' };
const FLAG = { originLower: 1, guessed: 2, tcpFinAck: 4, tcpRst: 8 };

/**
 * What stays the same between a flow's records: its addresses (decoded from its first record,
 * then only skipped) and its detection as of the last record that carried one (the addon
 * omits an unchanged detection, e.g. in every expire after dpi_complete).
 */
interface FlowIdentity {
  lowerIp: string;
  upperIp: string;
  lowerMac: string;
  upperMac: string;
  detection: DetectionFields;
}

/** Text caches that live as long as one decoder: MAC and IPv4 address forms. */
interface TextCaches {
  macs: TextCache;
  ipv4s: TextCache;
}

function readFlow(r: Reader, kind: FlowRecordKind, identities: Map<number, FlowIdentity>, caches: TextCaches): FlowRecord {
  const flowId = r.f64();
  const source = r.u16();
  const ipVersion = r.u8() === 6 ? 6 : 4;
  const ipProtocol = r.u8();
  const vlanId = r.u16();
  const ipDscp = r.u8();
  const flags = r.u8();
  let identity = identities.get(flowId);
  let lowerPort: number;
  let upperPort: number;
  if (identity) {
    r.skipIp(ipVersion);
    r.skipIp(ipVersion);
    lowerPort = r.u16();
    upperPort = r.u16();
    r.skip(12);
  } else {
    const lowerIp = r.ip(ipVersion, caches.ipv4s);
    const upperIp = r.ip(ipVersion, caches.ipv4s);
    lowerPort = r.u16();
    upperPort = r.u16();
    const { macs } = caches;
    identity = { lowerIp, upperIp, lowerMac: r.mac(macs), upperMac: r.mac(macs), detection: UNKNOWN_DETECTION };
    identities.set(flowId, identity);
  }
  if (kind === 'expire') identities.delete(flowId);
  const firstSeenMs = r.f64();
  const lastSeenMs = r.f64();
  const lowerBytes = r.f64();
  const lowerPackets = r.f64();
  const upperBytes = r.f64();
  const upperPackets = r.f64();
  const detectionPackets = r.u32();
  const reason = REASONS[r.u8()];
  if (r.u8() === 1) identity.detection = readDetection(r);
  const d = identity.detection;
  // Section objects are shared by the records of one flow while its detection is unchanged.
  const record: FlowRecord = {
    kind,
    flowId,
    source,
    ipVersion,
    ipProtocol,
    vlanId,
    ipDscp,
    lowerIp: identity.lowerIp,
    upperIp: identity.upperIp,
    lowerPort,
    upperPort,
    lowerMac: identity.lowerMac,
    upperMac: identity.upperMac,
    originLower: (flags & FLAG.originLower) !== 0,
    firstSeenMs,
    lastSeenMs,
    lowerBytes,
    lowerPackets,
    upperBytes,
    upperPackets,
    detectionPackets,
    ndpiMaster: d.ndpiMaster,
    ndpiApp: d.ndpiApp,
    protocolName: d.protocolName,
    ndpiCategory: d.ndpiCategory,
    confidence: d.confidence,
    guessed: (flags & FLAG.guessed) !== 0,
    risks: d.risks,
    riskScore: d.riskScore,
    riskScoreClient: d.riskScoreClient,
    riskScoreServer: d.riskScoreServer,
    hostName: d.hostName,
    // Every record has every key (undefined when absent): one object shape for all of them,
    // so the code that reads records stays monomorphic.
    tls: d.tls,
    http: d.http,
    dns: d.dns,
    dhcp: d.dhcp,
    ssh: d.ssh,
    bt: d.bt,
    mdns: d.mdns,
    ssdp: d.ssdp,
    netbios: d.netbios,
    kerberos: d.kerberos,
    reason: kind === 'expire' ? reason : undefined,
    tcpFinAck: kind === 'expire' ? (flags & FLAG.tcpFinAck) !== 0 : undefined,
    tcpRst: kind === 'expire' ? (flags & FLAG.tcpRst) !== 0 : undefined,
  };
  return record;
}

export type CounterReader = (r: Reader) => Record<string, number>;

/**
 * Reads a source's counters into one object literal generated from the addon's counter names
 * (allocated at its final size, one shape for every tick); without code generation
 * (`--disallow-code-generation-from-strings`) the same object is built key by key.
 */
export function counterReader(names: readonly string[], generate = true): CounterReader {
  if (!generate) return counterLoop(names);
  const members = names.map((name) => `${JSON.stringify(name)}: r.f64()`);
  try {
    return new Function('r', `return { ${members.join(', ')} };`) as CounterReader;
  } catch {
    return counterLoop(names);
  }
}

function counterLoop(names: readonly string[]): CounterReader {
  return (r) => {
    const counters: Record<string, number> = {};
    for (const name of names) counters[name] = r.f64();
    return counters;
  };
}

function readTick(r: Reader, readCounters: CounterReader): TickRecord {
  const timeMs = r.f64();
  const final = r.u8() === 1;
  const flowCount = r.u32();
  const flows: TickFlowStats[] = [];
  for (let i = 0; i < flowCount; i++) {
    flows.push({
      flowId: r.f64(),
      source: r.u16(),
      lastSeenMs: r.f64(),
      lowerBytes: r.f64(),
      lowerPackets: r.f64(),
      upperBytes: r.f64(),
      upperPackets: r.f64(),
      lowerActiveSeconds: r.u32(),
      upperActiveSeconds: r.u32(),
      totalBytes: r.f64(),
      totalPackets: r.f64(),
      detectionPackets: r.u32(),
      tcpResets: r.u32(),
      tcpRetrans: r.u32(),
      tcpSeqErrors: r.u32(),
    });
  }
  const sourceCount = r.u16();
  const sources: TickRecord['sources'] = [];
  for (let i = 0; i < sourceCount; i++) {
    const source = r.u16();
    sources.push({ source, counters: readCounters(r) });
  }
  return { kind: 'tick', timeMs, final, flows, sources };
}

function readDnsAnswer(r: Reader, ipv4s: TextCache): DnsAnswerRecord {
  const flowId = r.f64();
  const source = r.u16();
  const timeMs = r.f64();
  const name = r.str();
  const qtype = r.u16();
  const count = r.u8();
  const addresses: DnsAnswerAddress[] = [];
  for (let i = 0; i < count; i++) {
    const v6 = r.u8() === 6;
    const bytes = r.copy(v6 ? 16 : 4);
    const ttl = r.u32();
    addresses.push({ ip: v6 ? r.str() : ipv4Text(ipv4s, bytes), bytes, ttl });
  }
  return { kind: 'dns_answer', flowId, source, timeMs, name, qtype, addresses };
}

/** Decodes the batches of one engine run, in delivery order. */
export class RecordDecoder {
  private readonly identities = new Map<number, FlowIdentity>();
  private readonly caches: TextCaches = { macs: new Map(), ipv4s: new Map() };
  private readonly readCounters: CounterReader;

  constructor(counterNames: readonly string[]) {
    this.readCounters = counterReader(counterNames);
  }

  /** Decodes one batch; throws ERR_RECORD_FORMAT if it is not in RECORD_FORMAT. */
  decode(buffer: ArrayBuffer): EngineRecord[] {
    const r = new Reader(buffer);
    const format = r.u32();
    if (format !== RECORD_FORMAT) throw recordFormatError(format);
    const count = r.u32();
    const records: EngineRecord[] = new Array<EngineRecord>(count);
    for (let i = 0; i < count; i++) {
      const kind = r.u8();
      const flowKind = FLOW_KINDS[kind];
      if (flowKind !== undefined) {
        records[i] = readFlow(r, flowKind, this.identities, this.caches);
      } else if (kind === KIND_TICK) {
        records[i] = readTick(r, this.readCounters);
      } else if (kind === KIND_DNS_ANSWER) {
        records[i] = readDnsAnswer(r, this.caches.ipv4s);
      } else if (kind === KIND_SOURCE_END) {
        const source = r.u16();
        const error = r.str();
        records[i] = error ? { kind: 'source_end', source, error } : { kind: 'source_end', source };
      } else {
        throw new EngineError('ERR_RECORD_FORMAT', `native-dpi: unknown record kind ${kind} in a batch`);
      }
    }
    return records;
  }
}

/** The addon writes another layout than this decoder reads: the package is half rebuilt. */
export function recordFormatError(format: number): EngineError {
  const name = (value: number): string => `0x${value.toString(16)}`;
  return new EngineError(
    'ERR_RECORD_FORMAT',
    `native-dpi: the addon writes record format ${name(format)} but this JS decoder reads ${name(RECORD_FORMAT)}; rebuild the package (npm run build:native, then npm run build)`,
  );
}
