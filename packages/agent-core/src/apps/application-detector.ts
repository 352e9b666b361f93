import type { Application } from '../flow/applications.js';
import { ApplicationTable } from '../flow/applications.js';
import { readDataFile, type NetifydProtocolsFile } from '../flow/data-files.js';
import type { DnsAnswerRecord, FlowRecord } from '../flow/engine-records.js';
import { commonName, sanitizeHostName } from '../flow/flow-text.js';
import { parseIp } from '../flow/ip-address.js';
import type { AppRules } from './app-rules.js';
import type { DnsHintCache } from './dns-hint-cache.js';
import { FlowApps } from './flow-apps.js';

/** The part of a flow's state application detection reads and writes. */
export interface ApplicationState {
  readonly protocol: number;
  application: Application | undefined;
  apps: FlowApps | undefined;
}

const PROTO_DNS = 5;
const PROTO_MDNS = 8;
const PROTO_LLMNR = 154;

/** netifyd's protocol "twins": protocols that name their application (FORMATS §10.1 step 1). */
const TWINS: ReadonlyArray<readonly [protocol: string, tag: string]> = [
  ['Apple/Push', 'netify.apple-push'],
  ['AVAST', 'netify.avast'],
  ['Facebook/VoIP', 'netify.meta-messaging'],
  ['Line/Call', 'netify.line'],
  ['NestLog', 'netify.nest'],
  ['Spotify', 'netify.spotify'],
  ['SignalCall', 'netify.signal'],
  ['Skype/Teams/Call', 'netify.teams'],
  ['Steam', 'netify.steam'],
  ['Syncthing', 'netify.syncthing'],
  ['TeamViewer', 'netify.teamviewer'],
  ['Telegram/VoIP', 'netify.telegram'],
  ['TiVo/Connect', 'netify.tivo'],
  ['TPLINK/SHP', 'netify.tp-link'],
  ['Tuya/LP', 'netify.tuya-smart'],
  ['UBNTAC2', 'netify.ubiquiti'],
  ['WhatsApp/Call', 'netify.whatsapp'],
  ['ZOOM', 'netify.zoom'],
];

function isDnsLike(protocol: number): boolean {
  return protocol === PROTO_DNS || protocol === PROTO_MDNS || protocol === PROTO_LLMNR;
}

/**
 * True for an IPv4 literal (DPI gave an address, not a name). A sanitized host name cannot
 * hold an IPv6 literal (':' ends it); most names fail at their first letter, cheaply.
 */
function isIpLiteral(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const code = host.charCodeAt(i);
    if (code !== 46 && (code < 48 || code > 57)) return false;
  }
  return parseIp(host) !== undefined;
}

/** host_server_name as the flow reports it: DPI's name, else (or instead of an IP literal) the DNS hint. */
export function withHintName(dpiHost: string, apps: FlowApps | undefined): string {
  return apps?.dhcHit && (dpiHost === '' || isIpLiteral(dpiHost)) ? apps.dnsHostName : dpiHost;
}

function effectiveHostName(record: FlowRecord, apps: FlowApps): string {
  const raw = record.hostName || record.tls?.sni || record.http?.host || '';
  return withHintName(raw === '' ? '' : sanitizeHostName(raw), apps);
}

/**
 * Application detection for flows (FORMATS §10.1 order, netifyd 5.0.7): at first
 * classification the DNS hint cache, then protocol twins, host_server_name,
 * dns_host_name, networks (not for DNS/mDNS/LLMNR), the server certificate CN, and — a
 * project extension for nDPI 4.2, which names services netifyd disables — the service nDPI
 * detected, by tag. Later records: the CN once it appears (it may replace the
 * application, as in netifyd), and the DNS hint cache again while it has not hit, since a
 * DNS answer can be seen after the flow started (detection threads deliver independently).
 */
export class ApplicationDetector {
  private readonly twins = new Map<number, string>();

  constructor(
    readonly rules: AppRules,
    readonly hints: DnsHintCache | undefined,
    private readonly ndpiServices: ApplicationTable = new ApplicationTable(),
    protocolNames: NetifydProtocolsFile = readDataFile<NetifydProtocolsFile>('netifyd-protocols.json'),
  ) {
    const idOfName = new Map(Object.entries(protocolNames.protocols).map(([id, name]) => [name, Number(id)]));
    for (const [protocol, tag] of TWINS) {
      const id = idOfName.get(protocol);
      if (id !== undefined) this.twins.set(id, tag);
    }
  }

  /** Per-flow state for a new flow, with the current definitions. */
  begin(lower: Uint8Array | undefined, upper: Uint8Array | undefined, lowerIsOther: boolean, upperIsOther: boolean): FlowApps {
    const hint = lowerIsOther ? lower : upperIsOther ? upper : undefined;
    return new FlowApps(this.rules.current, lowerIsOther ? lower : upper, lowerIsOther ? upper : lower, hint);
  }

  /**
   * Learns address → name from the engine's parse of a DNS response (FORMATS §11): port 53
   * (not mDNS/LLMNR), RCODE 0, not truncated, the first A/AAAA question. Every address of
   * class OTHER (`isOther`) gets the question's name — the answers owned by that name and,
   * beyond netifyd (which ignores CNAMEs), those owned by a name its CNAME chain leads to.
   */
  learn(answer: DnsAnswerRecord, isOther: (bytes: Uint8Array) => boolean): void {
    if (!this.hints) return;
    const host = sanitizeHostName(answer.name);
    if (host === '') return;
    for (const address of answer.addresses) {
      if (isOther(address.bytes)) this.hints.learn(host, address.bytes, answer.timeMs);
    }
  }

  /** First classification of a flow (its `flow_new`). */
  classify(state: ApplicationState, record: FlowRecord): void {
    const apps = state.apps!;
    const definitions = apps.snapshot.definitions;
    const dnsLike = isDnsLike(state.protocol);
    if (!dnsLike) this.consultHints(apps, record);
    const host = effectiveHostName(record, apps);
    let app: Application | undefined;
    const twin = this.twins.get(state.protocol);
    if (twin !== undefined) app = definitions.byTag(twin);
    app ??= definitions.findHost(host);
    if (!app && apps.dnsHostName !== '') app = definitions.findHost(apps.dnsHostName);
    if (!app && !dnsLike) {
      if (apps.firstAddress) app = definitions.findAddress(apps.firstAddress);
      if (!app && apps.secondAddress) app = definitions.findAddress(apps.secondAddress);
    }
    const cn = this.serverCn(apps, record);
    if (!app && cn !== '') app = definitions.findHost(cn);
    app ??= this.ndpiService(apps, record);
    this.setApplication(state, apps, app);
    if (host !== '') apps.domainCategory = apps.snapshot.domainCategories?.match(host) ?? 0;
  }

  /** A later record before DPI completes; returns true when the DNS hint cache hit only now. */
  update(state: ApplicationState, record: FlowRecord): boolean {
    const apps = state.apps!;
    const definitions = apps.snapshot.definitions;
    const lateHint = !apps.dhcHit && !isDnsLike(state.protocol) && this.consultHints(apps, record);
    const host = effectiveHostName(record, apps);
    if (lateHint && !state.application) {
      this.setApplication(state, apps, definitions.findHost(host) ?? definitions.findHost(apps.dnsHostName));
    }
    const cn = this.serverCn(apps, record);
    if (cn !== '') this.setApplication(state, apps, definitions.findHost(cn));
    if (!state.application) this.setApplication(state, apps, this.ndpiService(apps, record));
    if (apps.domainCategory === 0 && host !== '') apps.domainCategory = apps.snapshot.domainCategories?.match(host) ?? 0;
    return lateHint;
  }

  private consultHints(apps: FlowApps, record: FlowRecord): boolean {
    if (!this.hints || !apps.hintAddress || this.hints.size === 0) return false;
    const name = this.hints.lookup(apps.hintAddress, record.lastSeenMs);
    if (name === undefined) return false;
    apps.dhcHit = true;
    apps.dnsHostName = name;
    return true;
  }

  /** The certificate CN the first time the record carries one (later calls give ''). */
  private serverCn(apps: FlowApps, record: FlowRecord): string {
    if (apps.cnChecked) return '';
    const cn = commonName(record.tls?.subjectDn ?? '');
    if (cn !== '') apps.cnChecked = true;
    return cn;
  }

  private ndpiService(apps: FlowApps, record: FlowRecord): Application | undefined {
    const service = this.ndpiServices.lookup(record.ndpiApp, record.ndpiMaster);
    return service ? apps.snapshot.definitions.byTag(service.tag) : undefined;
  }

  /** netifyd's SetDetectedApplication: a lookup that found nothing never overwrites. */
  private setApplication(state: ApplicationState, apps: FlowApps, app: Application | undefined): void {
    if (!app) return;
    state.application = app;
    apps.applicationCategory = apps.snapshot.categories?.categoryOf('application', app.id) ?? 0;
  }
}
