// Ensures one engine record becomes a complete v5 flow object (FORMATS §2): required keys
// with neutral values, local/other sides, cumulative counters, and the protocol objects
// only where netifyd emits them.
import { describe, expect, it } from 'vitest';
import { buildFlow, byteRate, metadataCount } from '../../src/flow/flow-builder.js';
import { FlowState } from '../../src/flow/flow-state.js';
import type { TlsRecord } from '../../src/flow/engine-records.js';
import { haveSchemas, schemaErrors } from './design-files.js';
import { expectKeysInByteOrder } from './key-order.js';
import { flowRecord } from './records.js';

function state(protocol: number, lowerIsLocal = false, name?: string): FlowState {
  const flowState = new FlowState(1, { interface: 'offline0', internal: true }, 'd'.repeat(40), lowerIsLocal, 'remote', true, true);
  flowState.protocol = protocol;
  flowState.protocolName = name;
  return flowState;
}

const tls: TlsRecord = {
  version: 0x0303,
  cipher: 0xc02f,
  sni: 'github.com',
  serverNames: 'github.com,www.github.com',
  issuerDn: 'C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert SHA2 Extended Validation Server CA',
  subjectDn: 'C=US, ST=California, L=San Francisco, O=GitHub, Inc., CN=github.com',
  ja3c: '',
  ja3s: 'ed61bbffb349efa73172fbf5e23db6d0',
  alpnClient: ['http/1.1'],
  alpnServer: 'http/1.1',
  certSha1: 'CA:06:F5:6B:25:8B:7A:0D:4F:2B:05:47:09:39:47:86:51:15:19:84',
};

describe('buildFlow', () => {
  it('maps lower/upper to local/other and reports cumulative counters with lifetime rates', () => {
    const flow = buildFlow(flowRecord({ lastSeenMs: 1_470_000_001_500 }), state(196, false, 'HTTP/S'));
    expect(flow).toMatchObject({
      local_ip: '192.168.1.13', local_port: 55744, local_mac: '28:37:37:00:6d:c8',
      other_ip: '140.82.114.4', other_port: 443, other_mac: '10:13:31:f1:39:76',
      local_bytes: 3167, local_packets: 35, other_bytes: 34022, other_packets: 35,
      total_bytes: 37189, total_packets: 70, detection_packets: 7,
      local_rate: 1584, other_rate: 17011,
      detected_protocol: 196, detected_protocol_name: 'HTTP/S',
      detected_application: 0, detected_application_name: 'Unknown',
      host_server_name: 'github.com', dns_host_name: '', digest_prev: [],
      ip_nat: false, dhc_hit: false, fhc_hit: false, soft_dissector: false, app_ip_override: false, app_proto_twins: false,
      risks: { risks: [], ndpi_risk_score: 0, ndpi_risk_score_client: 0, ndpi_risk_score_server: 0 },
    });
    const lowerLocal = buildFlow(flowRecord(), state(196, true));
    expect(lowerLocal.local_ip).toBe('140.82.114.4');
    expect(lowerLocal.local_bytes).toBe(34022);
    expect(lowerLocal.detected_protocol_name).toBe('Unknown');
  });

  it('builds the ssl object for the TLS group and QUIC only', () => {
    const flow = buildFlow(flowRecord({ tls }), state(196));
    expect(flow.ssl).toEqual({
      version: '0x0303',
      cipher_suite: '0xc02f',
      client_sni: 'github.com',
      server_cn: 'github.com',
      issuer_dn: tls.issuerDn,
      subject_dn: tls.subjectDn,
      server_ja3: 'ed61bbffb349efa73172fbf5e23db6d0',
      fingerprint: 'ca06f56b258b7a0d4f2b05470939478651151984',
      alpn: ['http/1.1'],
      alpn_server: ['http/1.1'],
    });
    const quic = buildFlow(flowRecord({ hostName: 'www.google.it', tls: { ...tls, version: 0, cipher: 0, ja3s: 'x', ja3c: 'y', subjectDn: '', issuerDn: '', certSha1: '', alpnServer: '', alpnClient: [] } }), state(188));
    expect(quic.ssl).toEqual({ version: '0x0000', cipher_suite: '0x0000', client_sni: 'www.google.it' });
    expect(buildFlow(flowRecord({ tls }), state(260)).ssl).toBeUndefined();
    expect(buildFlow(flowRecord({ tls: undefined, hostName: '' }), state(91)).ssl).toEqual({ version: '0x0000', cipher_suite: '0x0000' });
  });

  it('sanitizes the host name and falls back to the SNI', () => {
    expect(buildFlow(flowRecord({ hostName: 'WWW.Example.COM.' }), state(7)).host_server_name).toBe('www.example.com');
    expect(buildFlow(flowRecord({ hostName: '', tls }), state(196)).host_server_name).toBe('github.com');
    expect(buildFlow(flowRecord({ hostName: '' }), state(0)).host_server_name).toBe('');
  });

  it('adds http only for the HTTP group, with both keys', () => {
    const http = { url: 'example.com/index.html', host: 'example.com', userAgent: 'curl/8.0\u0001junk', responseCode: 200 };
    expect(buildFlow(flowRecord({ http }), state(7)).http).toEqual({ url: 'example.com/index.html', user_agent: 'curl/8.0' });
    expect(buildFlow(flowRecord({ http: { ...http, userAgent: '' } }), state(148)).http).toEqual({ url: 'example.com/index.html', user_agent: '' });
    expect(buildFlow(flowRecord({ http }), state(196)).http).toBeUndefined();
    expect(buildFlow(flowRecord({ http: { ...http, url: '', userAgent: '' } }), state(7)).http).toBeUndefined();
  });

  it('adds dhcp, ssh, ssdp, mdns and bt objects for their protocols only', () => {
    const record = flowRecord({
      dhcp: { fingerprint: '1,121,3,6,15,119,252', classIdent: '' },
      ssh: { client: 'SSH-2.0-OpenSSH_5.3', server: '' },
      ssdp: { userAgent: 'Linux/3.0 UPnP/1.0' },
      mdns: { answer: '_googlecast._tcp.local' },
      bt: { infoHash: 'AB'.repeat(20) },
    });
    expect(buildFlow(record, state(18)).dhcp).toEqual({ fingerprint: '1,121,3,6,15,119,252', class_ident: '' });
    expect(buildFlow(record, state(92)).ssh).toEqual({ client: 'SSH-2.0-OpenSSH_5.3' });
    expect(buildFlow(record, state(12)).ssdp).toEqual({ user_agent: 'Linux/3.0 UPnP/1.0' });
    expect(buildFlow(record, state(8)).mdns).toEqual({ answer: '_googlecast._tcp.local' });
    expect(buildFlow(record, state(37)).bt).toEqual({ info_hash: 'ab'.repeat(20) });
    const other = buildFlow(record, state(5));
    for (const key of ['dhcp', 'ssh', 'ssdp', 'mdns', 'bt', 'http', 'ssl']) expect(other, key).not.toHaveProperty(key);
    expect(buildFlow(flowRecord({ bt: { infoHash: 'nothex' } }), state(37)).bt).toBeUndefined();
    expect(buildFlow(flowRecord({ ssh: { client: 'x'.repeat(60), server: 'y' } }), state(92)).ssh).toEqual({ client: 'x'.repeat(47), server: 'y' });
  });

  it('fills category from nDPI: protocol category when classified, application category when an app is set', () => {
    const classified = state(196);
    expect(buildFlow(flowRecord(), classified).category).toEqual({ application: 0, domain: 0, overlay: 0, protocol: 15 });
    expect(buildFlow(flowRecord(), classified, (id) => (id === 91 ? 5 : undefined)).category.protocol).toBe(5);
    classified.application = { id: 10026, tag: 'netify.github' };
    expect(buildFlow(flowRecord(), classified).category.application).toBe(15);
    expect(buildFlow(flowRecord(), state(0)).category).toEqual({ application: 0, domain: 0, overlay: 0, protocol: 0 });
  });

  it('counts update-worthy metadata', () => {
    expect(metadataCount(flowRecord())).toBe(0);
    expect(metadataCount(flowRecord({ tls }))).toBe(5);
    expect(metadataCount(flowRecord({ mdns: { answer: 'a' }, ssh: { client: 'c', server: 's' } }))).toBe(2);
  });

  it('rates are integer bytes per second, 0 without seconds', () => {
    expect(byteRate(3167, 1)).toBe(3167);
    expect(byteRate(10, 3)).toBe(3);
    expect(byteRate(10, 0)).toBe(0);
  });

  it('adds keys in byte order at every level, optional objects in their place (proc-core writes such objects natively)', () => {
    const record = flowRecord({
      tls: { ...tls, ja3c: 'c'.repeat(32) },
      http: { url: 'a/b', host: 'a', userAgent: 'u', responseCode: 200 },
      dhcp: { fingerprint: '1', classIdent: 'c' },
      ssh: { client: 'c', server: 's' },
      ssdp: { userAgent: 'u' },
      mdns: { answer: 'a' },
      bt: { infoHash: 'ab'.repeat(20) },
    });
    const flows = [7, 8, 12, 18, 37, 92, 188, 196, 0].map((protocol) => buildFlow(record, state(protocol)));
    expect(new Set(flows.flatMap((flow) => Object.keys(flow)))).toEqual(
      new Set([...Object.keys(flows[8]!), 'http', 'mdns', 'ssdp', 'dhcp', 'bt', 'ssh', 'ssl']),
    );
    for (const flow of flows) expectKeysInByteOrder(flow);
  });

  it.skipIf(!haveSchemas)('every variant validates against the v5 flow schema', () => {
    const records = [flowRecord({ tls }), flowRecord({ http: { url: 'a/b', host: 'a', userAgent: 'u', responseCode: 200 } }), flowRecord({ dhcp: { fingerprint: '1', classIdent: 'c' } })];
    for (const protocol of [0, 7, 18, 91, 188, 196]) {
      for (const record of records) {
        const message = { type: 'flow', interface: 'offline0', internal: true, established: false, flow: buildFlow(record, state(protocol)) };
        expect(schemaErrors('flow', message)).toBeUndefined();
      }
    }
  });
});
