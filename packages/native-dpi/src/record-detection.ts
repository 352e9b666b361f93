// Decodes the detection part of a flow record (ids, names, risks, host name, protocol
// sections). Layout: src/native/events/record.h.
import type { Reader } from './record-reader.js';
import type { FlowRecord, TlsInfo } from './types.js';

/** The fields of a FlowRecord that come from detection. */
export type DetectionFields = Pick<
  FlowRecord,
  | 'ndpiMaster'
  | 'ndpiApp'
  | 'ndpiCategory'
  | 'confidence'
  | 'protocolName'
  | 'risks'
  | 'riskScore'
  | 'riskScoreClient'
  | 'riskScoreServer'
  | 'hostName'
  | 'tls'
  | 'http'
  | 'dns'
  | 'dhcp'
  | 'ssh'
  | 'bt'
  | 'mdns'
  | 'ssdp'
  | 'netbios'
  | 'kerberos'
>;

const SECTION = { tls: 1, http: 2, dns: 4, dhcp: 8, ssh: 16, bt: 32, mdns: 64, ssdp: 128, netbios: 256, kerberos: 512 };

// Names fixed by their ids in one addon: nDPI's confidence names and protocol names.
const confidenceNames = new Map<number, string>();
const protocolNames = new Map<number, string>();

/** Most flows have no risk: they share one frozen empty list. */
const NO_RISKS: readonly number[] = Object.freeze([]);

/** What a flow looks like before its first detection part (only after a dropped batch). */
export const UNKNOWN_DETECTION: DetectionFields = {
  ndpiMaster: 0,
  ndpiApp: 0,
  ndpiCategory: 0,
  confidence: 'Unknown',
  protocolName: 'Unknown',
  risks: NO_RISKS,
  riskScore: 0,
  riskScoreClient: 0,
  riskScoreServer: 0,
  hostName: '',
  tls: undefined,
  http: undefined,
  dns: undefined,
  dhcp: undefined,
  ssh: undefined,
  bt: undefined,
  mdns: undefined,
  ssdp: undefined,
  netbios: undefined,
  kerberos: undefined,
};

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

export function readDetection(r: Reader): DetectionFields {
  const ndpiMaster = r.u16();
  const ndpiApp = r.u16();
  const ndpiCategory = r.u16();
  const confidence = r.cachedStr(confidenceNames, r.u8());
  const protocolName = r.cachedStr(protocolNames, ndpiMaster * 65536 + ndpiApp);
  const riskCount = r.u8();
  let risks = NO_RISKS;
  if (riskCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < riskCount; i++) list.push(r.u16());
    risks = Object.freeze(list);
  }
  const riskScore = r.u16();
  const riskScoreClient = r.u16();
  const riskScoreServer = r.u16();
  const hostName = r.str();
  const bits = r.u16();
  // One literal with every key, in the order the sections are written: all detections
  // share one object shape, so the records built from them stay monomorphic.
  return {
    ndpiMaster,
    ndpiApp,
    ndpiCategory,
    confidence,
    protocolName,
    risks,
    riskScore,
    riskScoreClient,
    riskScoreServer,
    hostName,
    tls: bits & SECTION.tls ? readTls(r) : undefined,
    http: bits & SECTION.http ? { url: r.str(), host: r.str(), userAgent: r.str(), responseCode: r.u16() } : undefined,
    dns: bits & SECTION.dns ? { query: r.str(), qtype: r.u16(), rcode: r.u8(), answers: r.strings() } : undefined,
    dhcp: bits & SECTION.dhcp ? { fingerprint: r.str(), classIdent: r.str() } : undefined,
    ssh: bits & SECTION.ssh ? { client: r.str(), server: r.str() } : undefined,
    bt: bits & SECTION.bt ? { infoHash: r.str() } : undefined,
    mdns: bits & SECTION.mdns ? { answer: r.str() } : undefined,
    ssdp: bits & SECTION.ssdp ? { userAgent: r.str() } : undefined,
    netbios: bits & SECTION.netbios ? { name: r.str() } : undefined,
    kerberos: bits & SECTION.kerberos ? { domain: r.str(), hostname: r.str(), username: r.str() } : undefined,
  };
}
