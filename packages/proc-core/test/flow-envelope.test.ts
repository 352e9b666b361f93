// Ensures a flow message written as envelope text around the flow's text (written once for
// every message carrying that flow) has exactly the bytes of the whole message encoded as an
// object: JSON and msgpack, plain and gzip, for every flow message type and the unusual
// cases (non-ASCII text, keys out of order, odd interface names, no flow object).
import { gunzipSync } from 'node:zlib';
import type { MessageType, PayloadCompressor, PayloadFormat, PurgeReason } from '@netifyd/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../src/encode.js';
import { FlowEnvelope, type EnvelopeSource } from '../src/flow-envelope.js';
import { encodeJson, encodeMessage } from '../src/index.js';
import { githubTlsFlow, kankanHttpFlow, ntopIpv6Flow, sshFlow, statsOf } from './sample-events.js';

const ENCODINGS: Array<[PayloadFormat, PayloadCompressor]> = [['json', 'none'], ['json', 'gz'], ['msgpack', 'none'], ['msgpack', 'gz']];

/** The message as proc-core built it as one object (keys in byte order). */
function wholeMessage(source: EnvelopeSource, type: MessageType, reason?: PurgeReason): object {
  const base = { established: false, flow: source.flow, interface: source.interface, internal: source.internal };
  return reason === undefined ? { ...base, type } : { ...base, reason, type };
}

function expectSameBytes(source: EnvelopeSource, types: MessageType[], reason?: PurgeReason): void {
  for (const [format, compressor] of ENCODINGS) {
    const envelope = new FlowEnvelope(source, reason);
    for (const type of types) {
      const composed = Buffer.from(encodeEnvelope(envelope, type, format, compressor));
      const whole = Buffer.from(encodeMessage(wholeMessage(source, type, reason), format, compressor));
      const plain = (bytes: Buffer) => (compressor === 'gz' ? gunzipSync(bytes) : bytes);
      expect(plain(composed).equals(plain(whole)), `${type} ${format}/${compressor}`).toBe(true);
      if (format === 'json') expect(plain(composed).toString('latin1')).toBe(encodeJson(wholeMessage(source, type, reason)));
    }
  }
}

const lan = (flow: object, name = 'offline0', internal = true): EnvelopeSource => ({ flow, interface: name, internal });

describe('flow envelope', () => {
  it('writes every flow message type of real flows as the whole message would be written, the flow text reused across types', () => {
    for (const flow of [githubTlsFlow(), ntopIpv6Flow(), kankanHttpFlow(), sshFlow()]) {
      expectSameBytes(lan(flow), ['flow', 'flow_dpi_update', 'flow_dpi_complete', 'flow']);
      expectSameBytes(lan(statsOf(flow), 'eth1', false), ['flow_stats']);
      expectSameBytes(lan(statsOf(flow, { tcp: { resets: 1, retrans: 2, seq_errors: 3 } })), ['flow_purge'], 'closed');
      expectSameBytes(lan(statsOf(flow)), ['flow_purge'], 'expired');
    }
  });

  it('escapes non-ASCII text in the flow and in the interface name as encodeJson does', () => {
    const flow = githubTlsFlow();
    flow.ssl = { ...flow.ssl, issuer_dn: 'C=FR, O=Soci\u00e9t\u00e9 G\u00e9n\u00e9rale \u{1F512}' };
    expectSameBytes(lan(flow), ['flow_dpi_complete', 'flow']);
    expectSameBytes(lan(githubTlsFlow(), 'caf\u00e9 "0"'), ['flow', 'flow_dpi_complete']);
    const text = Buffer.from(encodeEnvelope(new FlowEnvelope(lan(flow)), 'flow', 'json', 'none')).toString('latin1');
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
  });

  it('sorts a flow whose keys are out of order, and writes a message without a flow object as a whole', () => {
    const { vlan_id, app_ip_override, ...rest } = githubTlsFlow();
    expectSameBytes(lan({ vlan_id, ...rest, app_ip_override }), ['flow', 'flow_dpi_complete']);
    expectSameBytes({ flow: undefined as unknown as object, interface: 'offline0', internal: true }, ['flow_stats']);
  });

  it('stays exact with many interfaces of both roles', () => {
    const flow = statsOf(githubTlsFlow());
    for (let i = 0; i < 150; i++) expectSameBytes(lan(flow, `eth${i}`, i % 2 === 0), ['flow_stats']);
  });
});
