// The flow model with the application detector on records in a fixed order: a QUIC flow
// without SNI classified before the DNS answer for its server arrives (as when detection
// threads deliver the DNS flow later), then completed. Records are engine records written
// out, so the order cannot vary. The engine reports the DNS response as a dns_answer record
// after the DNS flow's own record, with every A/AAAA address it reached from the question.
import { describe, expect, it } from 'vitest';
import { AppDefinitions } from '../../src/apps/app-definitions.js';
import { AppRules } from '../../src/apps/app-rules.js';
import { ApplicationDetector } from '../../src/apps/application-detector.js';
import { parseDefinitions } from '../../src/apps/definitions-parser.js';
import { DnsHintCache } from '../../src/apps/dns-hint-cache.js';
import type { DnsAnswerRecord, EngineRecord } from '../../src/flow/engine-records.js';
import { FlowModel, type FlowModelEvent } from '../../src/flow/flow-model.js';
import { parseIp } from '../../src/flow/ip-address.js';
import { flowRecord, ndpi } from '../flow/records.js';

const definitions = new AppDefinitions(parseDefinitions('app:70010:example.video\ndom:70010:video.example\n', 'late.conf'));

function model(hints: DnsHintCache) {
  return new FlowModel({
    sources: [{ source: 0, name: 'offline0', role: 'lan' }],
    applicationDetector: new ApplicationDetector(new AppRules({ definitions, categories: undefined, domainCategories: undefined }), hints),
  });
}

const quic = (kind: 'new' | 'dpi_complete', lastSeenMs: number) =>
  flowRecord({ kind, flowId: 7, ipProtocol: 17, lowerIp: '192.168.1.13', upperIp: '203.0.113.9', lowerPort: 50000, upperPort: 443, hostName: '', ndpiMaster: ndpi('QUIC'), ndpiApp: 0, protocolName: 'QUIC', lastSeenMs });

const answerAt = (ip: string) => ({ ip, bytes: parseIp(ip)!, ttl: 300 });
const answer: DnsAnswerRecord = {
  kind: 'dns_answer', flowId: 8, source: 0, timeMs: 1_470_000_000_900, name: 'cdn1.video.example', qtype: 1,
  addresses: ['203.0.113.9', '203.0.113.10', '10.1.1.1'].map(answerAt),
};
const dnsAnswer: EngineRecord[] = [
  flowRecord({
    kind: 'dpi_complete', flowId: 8, ipProtocol: 17, lowerIp: '192.168.1.1', upperIp: '192.168.1.13', lowerPort: 53, upperPort: 40000,
    hostName: 'cdn1.video.example', ndpiMaster: ndpi('DNS'), ndpiApp: 0, protocolName: 'DNS', lastSeenMs: 1_470_000_000_900,
    dns: { query: 'cdn1.video.example', qtype: 1, rcode: 0, answers: ['203.0.113.9'] },
  }),
  answer,
];

const summary = (events: FlowModelEvent[]) =>
  events.flatMap((event) => ('flow' in event && event.type !== 'flow_expire' ? [`${event.type} ${event.flow.detected_protocol_name} dhc=${event.flow.dhc_hit} ${event.flow.dns_host_name} ${event.flow.detected_application_name}`] : []));

describe('a flow named by the DNS hint cache after its first classification', () => {
  it('gets dhc_hit, dns_host_name, host_server_name and its application in a detection_updated before completion', () => {
    const hints = new DnsHintCache({ ttlS: 1800, maxEntries: 100 });
    const flows = model(hints);
    const events = [...flows.onRecords([quic('new', 1_470_000_000_500), ...dnsAnswer]), ...flows.onRecords([quic('dpi_complete', 1_470_000_001_000)])];
    expect(summary(events)).toEqual([
      'flow_new QUIC dhc=false  Unknown',
      'flow_new DNS dhc=false  example.video',
      'flow_dpi_complete DNS dhc=false  example.video',
      'detection_updated QUIC dhc=true cdn1.video.example example.video',
      'flow_dpi_complete QUIC dhc=true cdn1.video.example example.video',
    ]);
    const update = events.find((event) => event.type === 'detection_updated') as Extract<FlowModelEvent, { type: 'detection_updated' }>;
    expect(update.flow).toMatchObject({ detection_updated: true, host_server_name: 'cdn1.video.example', ssl: { client_sni: 'cdn1.video.example' } });
    expect(hints.size).toBe(2);
  });

  it('names the flow at its first classification when the answer came first, with no extra event', () => {
    const flows = model(new DnsHintCache({ ttlS: 1800, maxEntries: 100 }));
    const events = flows.onRecords([...dnsAnswer, quic('new', 1_470_000_001_000), quic('dpi_complete', 1_470_000_001_100)]);
    expect(summary(events).filter((line) => line.includes('QUIC'))).toEqual([
      'flow_new QUIC dhc=true cdn1.video.example example.video',
      'flow_dpi_complete QUIC dhc=true cdn1.video.example example.video',
    ]);
  });

  it('learns from dns_answer records only, not from the first answer nDPI keeps in the DNS flow record', () => {
    const hints = new DnsHintCache({ ttlS: 1800, maxEntries: 100 });
    const events = model(hints).onRecords([dnsAnswer[0]!, quic('new', 1_470_000_001_000), quic('dpi_complete', 1_470_000_001_100)]);
    expect(summary(events).filter((line) => line.includes('QUIC'))).toEqual(['flow_new QUIC dhc=false  Unknown', 'flow_dpi_complete QUIC dhc=false  Unknown']);
    expect(hints.size).toBe(0);
  });

  it('does not name a flow from an answer older than the TTL', () => {
    const flows = model(new DnsHintCache({ ttlS: 60, maxEntries: 100 }));
    const events = flows.onRecords([...dnsAnswer, quic('new', 1_470_000_070_000), quic('dpi_complete', 1_470_000_070_100)]);
    expect(summary(events).filter((line) => line.includes('QUIC'))).toEqual(['flow_new QUIC dhc=false  Unknown', 'flow_dpi_complete QUIC dhc=false  Unknown']);
  });
});
