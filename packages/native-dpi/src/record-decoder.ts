// Decodes one batch from the addon into record objects. The layout is defined once, in
// src/native/events/record.h; this is its only reader.
import { EngineError } from './errors.js';
import type { EngineRecord, ExpireReason, FlowRecord, FlowRecordKind, TickFlowStats, TickRecord, TlsInfo } from './types.js';

const FLOW_KINDS: Record<number, FlowRecordKind> = { 1: 'new', 2: 'dpi_update', 3: 'dpi_complete', 4: 'expire' };
const KIND_TICK = 5;
const KIND_SOURCE_END = 6;
const REASONS: Record<number, ExpireReason> = { 1: 'closed', 2: 'expired', 3: 'terminated' };
const SECTION = { tls: 1, http: 2, dns: 4, dhcp: 8, ssh: 16, bt: 32, mdns: 64, ssdp: 128, netbios: 256, kerberos: 512 };
const FLAG = { originLower: 1, guessed: 2, tcpFinAck: 4, tcpRst: 8 };

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Buffer's native slice decoder, without toString()'s argument checks (hot path). */
interface Utf8Slicer {
  utf8Slice(start: number, end: number): string;
}

class Reader {
  private offset = 0;
  private readonly view: DataView;
  private readonly bytes: Buffer & Utf8Slicer;

  constructor(buffer: ArrayBuffer) {
    this.view = new DataView(buffer);
    this.bytes = Buffer.from(buffer) as Buffer & Utf8Slicer;
  }
  u8(): number {
    return this.view.getUint8(this.offset++);
  }
  u16(): number {
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  str(): string {
    const n = this.u16();
    if (n === 0) return '';
    const start = this.offset;
    this.offset += n;
    return this.bytes.utf8Slice(start, this.offset);
  }
  /** A string whose value is fixed by `key`: decoded once, then only skipped. */
  cachedStr(cache: Map<number, string>, key: number): string {
    const known = cache.get(key);
    if (known === undefined) {
      const value = this.str();
      cache.set(key, value);
      return value;
    }
    this.offset += 2 + this.view.getUint16(this.offset, true);
    return known;
  }
  skipStr(): void {
    this.offset += 2 + this.view.getUint16(this.offset, true);
  }
  skip(bytes: number): void {
    this.offset += bytes;
  }
  mac(): string {
    const b = this.bytes;
    const o = this.offset;
    this.offset += 6;
    return `${HEX[b[o] as number]}:${HEX[b[o + 1] as number]}:${HEX[b[o + 2] as number]}:${HEX[b[o + 3] as number]}:${HEX[b[o + 4] as number]}:${HEX[b[o + 5] as number]}`;
  }
  strings(): string[] {
    const n = this.u8();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.str());
    return out;
  }
}

function readTls(r: Reader): TlsInfo {
  return {
    version: r.u16(),
    cipher: r.u16(),
    sni: r.str(),
    serverNames: r.str(),
    issuerDn: r.str(),
    subjectDn: r.str(),
    ja3c: r.str(),
    ja3s: r.str(),
    alpnClient: r.strings(),
    alpnServer: r.str(),
    certSha1: r.str(),
  };
}

function readSections(r: Reader, record: FlowRecord): void {
  const bits = r.u16();
  if (bits & SECTION.tls) record.tls = readTls(r);
  if (bits & SECTION.http) record.http = { url: r.str(), host: r.str(), userAgent: r.str(), responseCode: r.u16() };
  if (bits & SECTION.dns) record.dns = { query: r.str(), qtype: r.u16(), rcode: r.u8(), answers: r.strings() };
  if (bits & SECTION.dhcp) record.dhcp = { fingerprint: r.str(), classIdent: r.str() };
  if (bits & SECTION.ssh) record.ssh = { client: r.str(), server: r.str() };
  if (bits & SECTION.bt) record.bt = { infoHash: r.str() };
  if (bits & SECTION.mdns) record.mdns = { answer: r.str() };
  if (bits & SECTION.ssdp) record.ssdp = { userAgent: r.str() };
  if (bits & SECTION.netbios) record.netbios = { name: r.str() };
  if (bits & SECTION.kerberos) record.kerberos = { domain: r.str(), hostname: r.str(), username: r.str() };
}

// Names fixed by their ids in one addon: nDPI's confidence names and protocol names.
const confidenceNames = new Map<number, string>();
const protocolNames = new Map<number, string>();

/** A flow's addresses never change: decoded from its first record, then only skipped. */
interface FlowIdentity {
  lowerIp: string;
  upperIp: string;
  lowerMac: string;
  upperMac: string;
}

function readFlow(r: Reader, kind: FlowRecordKind, identities: Map<number, FlowIdentity>): FlowRecord {
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
    r.skipStr();
    r.skipStr();
    lowerPort = r.u16();
    upperPort = r.u16();
    r.skip(12);
  } else {
    const lowerIp = r.str();
    const upperIp = r.str();
    lowerPort = r.u16();
    upperPort = r.u16();
    identity = { lowerIp, upperIp, lowerMac: r.mac(), upperMac: r.mac() };
    identities.set(flowId, identity);
  }
  if (kind === 'expire') identities.delete(flowId);
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
    firstSeenMs: r.f64(),
    lastSeenMs: r.f64(),
    lowerBytes: r.f64(),
    lowerPackets: r.f64(),
    upperBytes: r.f64(),
    upperPackets: r.f64(),
    detectionPackets: r.u32(),
    ndpiMaster: 0,
    ndpiApp: 0,
    ndpiCategory: 0,
    confidence: '',
    protocolName: '',
    guessed: (flags & FLAG.guessed) !== 0,
    risks: [],
    riskScore: 0,
    riskScoreClient: 0,
    riskScoreServer: 0,
    hostName: '',
  };
  record.ndpiMaster = r.u16();
  record.ndpiApp = r.u16();
  record.ndpiCategory = r.u16();
  record.confidence = r.cachedStr(confidenceNames, r.u8());
  record.protocolName = r.cachedStr(protocolNames, record.ndpiMaster * 65536 + record.ndpiApp);
  const riskCount = r.u8();
  for (let i = 0; i < riskCount; i++) record.risks.push(r.u16());
  record.riskScore = r.u16();
  record.riskScoreClient = r.u16();
  record.riskScoreServer = r.u16();
  record.hostName = r.str();
  const reason = REASONS[r.u8()];
  readSections(r, record);
  if (kind === 'expire') {
    if (reason !== undefined) record.reason = reason;
    record.tcpFinAck = (flags & FLAG.tcpFinAck) !== 0;
    record.tcpRst = (flags & FLAG.tcpRst) !== 0;
  }
  return record;
}

function readTick(r: Reader, counterNames: readonly string[]): TickRecord {
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
    const counters: Record<string, number> = {};
    for (const name of counterNames) counters[name] = r.f64();
    sources.push({ source, counters });
  }
  return { kind: 'tick', timeMs, final, flows, sources };
}

/** Decodes the batches of one engine run, in delivery order. */
export class RecordDecoder {
  private readonly identities = new Map<number, FlowIdentity>();

  constructor(
    private readonly format: number,
    private readonly counterNames: readonly string[],
  ) {}

  /** Decodes one batch; throws ERR_RECORD_FORMAT if the addon speaks another layout. */
  decode(buffer: ArrayBuffer): EngineRecord[] {
    const r = new Reader(buffer);
    if (r.u32() !== this.format) {
      throw new EngineError('ERR_RECORD_FORMAT', 'native-dpi: the addon and its JS decoder disagree on the record format; rebuild the package');
    }
    const count = r.u32();
    const records: EngineRecord[] = new Array<EngineRecord>(count);
    for (let i = 0; i < count; i++) {
      const kind = r.u8();
      const flowKind = FLOW_KINDS[kind];
      if (flowKind !== undefined) {
        records[i] = readFlow(r, flowKind, this.identities);
      } else if (kind === KIND_TICK) {
        records[i] = readTick(r, this.counterNames);
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
