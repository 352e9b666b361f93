// Decodes the detection part of a flow record (ids, names, risks, host name, protocol
// sections). Layout: src/native/events/record.h.
import type { Reader } from './record-reader.js';
import type { FlowRecord, TlsInfo } from './types.js';

/** The protocol sections of a FlowRecord, in the order record.h writes them. */
type SectionKey = 'tls' | 'http' | 'dns' | 'dhcp' | 'ssh' | 'bt' | 'mdns' | 'ssdp' | 'netbios' | 'kerberos';

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
  | SectionKey
>;

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

type Sections = Pick<FlowRecord, SectionKey>;
type SectionReader = (r: Reader) => Sections[SectionKey];

/** Section readers by bit number (record.h), in the order the sections are written. */
const SECTION_READERS: readonly SectionReader[] = [
  readTls,
  (r) => ({ url: r.str(), host: r.str(), userAgent: r.str(), responseCode: r.u16() }),
  (r) => ({ query: r.str(), qtype: r.u16(), rcode: r.u8(), answers: r.strings() }),
  (r) => ({ fingerprint: r.str(), classIdent: r.str() }),
  (r) => ({ client: r.str(), server: r.str() }),
  (r) => ({ infoHash: r.str() }),
  (r) => ({ answer: r.str() }),
  (r) => ({ userAgent: r.str() }),
  (r) => ({ name: r.str() }),
  (r) => ({ domain: r.str(), hostname: r.str(), username: r.str() }),
];

/** Reused by every readDetection() call: the sections of the detection being read. */
const found: Array<Sections[SectionKey]> = new Array(SECTION_READERS.length).fill(undefined);

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
  // Every section goes through this one call site: a kind first met after V8 optimised this
  // function (a NetBIOS name among TLS flows) does not make it throw that code away.
  for (let bit = 0; bit < SECTION_READERS.length; bit++) {
    found[bit] = bits & (1 << bit) ? (SECTION_READERS[bit] as SectionReader)(r) : undefined;
  }
  // One literal with every key: all detections share one object shape, so the records built
  // from them stay monomorphic.
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
    tls: found[0] as Sections['tls'],
    http: found[1] as Sections['http'],
    dns: found[2] as Sections['dns'],
    dhcp: found[3] as Sections['dhcp'],
    ssh: found[4] as Sections['ssh'],
    bt: found[5] as Sections['bt'],
    mdns: found[6] as Sections['mdns'],
    ssdp: found[7] as Sections['ssdp'],
    netbios: found[8] as Sections['netbios'],
    kerberos: found[9] as Sections['kerberos'],
  };
}
