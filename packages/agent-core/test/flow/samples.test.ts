// Ensures the flow model reproduces netifyd 5.0.7's own output for the sample captures
// field by field (local/other, other_type, local_origin, protocol ids and names, guess
// quirk, TLS/HTTP/DHCP/SSH objects, risks, purge counters and reasons), where the project
// does not deliberately differ (FORMATS §00), and that every message validates against v5.
import { describe, expect, it } from 'vitest';
import { FlowModel, type FlowModelEvent } from '../../src/flow/flow-model.js';
import type { FlowTick } from '../../src/flow/tick-assembler.js';
import { haveSamples, haveSchemas, readSample, schemaErrors } from './design-files.js';
import { sampleFlow, type SampleFlow } from './sample-records.js';
import { tickRecord } from './records.js';
import { invalidMessages } from './wire.js';

const SAMPLES = ['443-git.jsonl', 'http_ipv6.jsonl', 'quic.jsonl', 'ssh.jsonl', 'bittorrent.jsonl', '1kxun.jsonl'];

/** Keys the project sets differently on purpose, or from data it does not ship. */
const NOT_COMPARED = new Set([
  'digest', // 5.0.7's post-DPI digest is not reproducible (FORMATS §4.2)
  'category', // Netify's category ids; the schema's keys differ too
  'detected_application', 'detected_application_name', // Netify's signature data
  'dhc_hit', 'dns_host_name', // DNS hint cache is not part of the flow model
  'soft_dissector', // soft dissectors come with application definitions (one NTP flow in 1kxun)
  'risks', // compared below: nDPI 4.2 lacks some of 5.0.7's risks
  'ssl', 'http', 'dhcp', // compared below as subsets (v5 requires keys netifyd omits)
]);
/** Keys the v5 schema requires that 5.0.7 did not emit. */
const V5_ADDITIONS = ['app_ip_override', 'app_proto_twins', 'digest_prev', 'fhc_hit', 'ip_dscp', 'local_bytes', 'local_packets', 'local_rate', 'other_bytes', 'other_packets', 'other_rate', 'total_bytes', 'total_packets', 'detection_packets'];

function loadSample(name: string): SampleFlow[] {
  const messages = readSample(name);
  const purges = new Map(messages.filter((m) => m.type === 'flow_purge').map((m) => [m.flow.digest as string, m]));
  const seen = new Set<string>();
  const flows: SampleFlow[] = [];
  for (const message of messages) {
    // 5.0.7 can send DPI-complete twice for one flow (FORMATS §1.2); the project sends it once.
    if (message.type !== 'flow' || seen.has(message.flow.digest)) continue;
    seen.add(message.flow.digest);
    flows.push(sampleFlow(message, purges.get(message.flow.digest)!, flows.length + 1));
  }
  return flows;
}

function run(flows: SampleFlow[]): FlowModelEvent[] {
  const model = new FlowModel({ sources: [{ source: 0, name: 'offline0', role: 'lan' }] });
  return model.onRecords([...flows.flatMap((flow) => flow.records), tickRecord(flows.map((flow) => flow.tick), { final: true })]);
}

describe.skipIf(!haveSamples)('netifyd 5.0.7 samples', () => {
  for (const name of SAMPLES) {
    describe(name, () => {
      const flows = loadSample(name);
      const events = run(flows);
      const completes = events.filter((event) => event.type === 'flow_dpi_complete');
      const tick = events.find((event): event is FlowTick => event.type === 'tick')!;

      it('produces one flow_new, one flow_dpi_complete and one flow_expire per flow, and one purge each', () => {
        for (const type of ['flow_new', 'flow_dpi_complete', 'flow_expire']) expect(events.filter((event) => event.type === type)).toHaveLength(flows.length);
        expect(tick.purged).toHaveLength(flows.length);
        expect(tick.flowStats).toEqual([]);
      });

      it('flow objects match netifyd field by field', () => {
        flows.forEach((sample, index) => {
          const ours = (completes[index] as { flow: Record<string, any> }).flow;
          const where = `${name} flow ${sample.flow.local_ip}:${sample.flow.local_port} ↔ ${sample.flow.other_ip}:${sample.flow.other_port}`;
          for (const [key, value] of Object.entries(sample.flow)) {
            if (!NOT_COMPARED.has(key)) expect(ours[key], `${where}: ${key}`).toEqual(value);
          }
          for (const key of Object.keys(ours)) {
            if (key in sample.flow || V5_ADDITIONS.includes(key)) continue;
            expect(ours[key], `${where}: extra key ${key}`).toSatisfy((value: unknown) => value === '' || value === false || value === 0);
          }
          const { server_cn: expectedCn, ...expectedSsl } = (sample.flow.ssl ?? {}) as Record<string, string>;
          if (sample.flow.ssl) {
            expect(ours.ssl, where).toMatchObject(expectedSsl);
            // 5.0.7 drops wildcard CNs; the project keeps the CN of the subject DN.
            if (expectedCn) expect(ours.ssl.server_cn, where).toBe(expectedCn);
            else if (ours.ssl.server_cn !== undefined) expect(ours.ssl.server_cn, where).toMatch(/^\*\./);
          } else expect(ours.ssl, where).toBeUndefined();
          if (sample.flow.http) expect(ours.http, where).toEqual({ url: '', user_agent: '', ...sample.flow.http });
          else expect(ours.http, where).toBeUndefined();
          if (sample.flow.dhcp) expect(ours.dhcp, where).toEqual({ fingerprint: '', class_ident: '', ...sample.flow.dhcp });
          else expect(ours.dhcp, where).toBeUndefined();
          expect(ours.risks, where).toEqual({
            risks: sample.reproducibleRisks,
            ndpi_risk_score: sample.flow.risks.ndpi_risk_score,
            ndpi_risk_score_client: sample.flow.risks.ndpi_risk_score_client,
            ndpi_risk_score_server: sample.flow.risks.ndpi_risk_score_server,
          });
        });
      });

      it('purges match netifyd: reason, counters mapped to local/other, totals, tcp', () => {
        flows.forEach((sample, index) => {
          const ours = tick.purged[index]!;
          const ourDigest = (completes[index] as { flow: { digest: string } }).flow.digest;
          expect(ours.reason).toBe(sample.purge.reason);
          expect(ours.flow).toEqual({ ...sample.purge.flow, digest: ourDigest, digest_prev: [] });
        });
      });

      it.skipIf(!haveSchemas)('every message validates against the v5 telemetry schemas', () => {
        expect(invalidMessages(events)).toEqual([]);
      });
    });
  }

  it.skipIf(!haveSchemas)('the schema check rejects a flow without its required keys', () => {
    expect(schemaErrors('flow', { type: 'flow', interface: 'offline0', internal: true, flow: { digest: 'x' } })).toMatch(/required/);
  });
});
