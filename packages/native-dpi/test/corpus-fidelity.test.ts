// A quick fidelity self-check: with ndpiReaderLimits the engine should find the flows
// ndpiReader 4.2 found in the corpus, with the same protocol, host name/SNI and TLS/QUIC
// fingerprints (JA3: nDPI builds them with the snprintf the addon links it to).
// (tools/compare-ndpi is the full report; this keeps the package honest on its own.)
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../src/index.js';
import { capturePath, corpusAvailable, corpusCaptures } from './helpers/corpus.js';
import { flowKey, readExpectedFlows } from './helpers/expected-flows.js';
import { runCapture } from './helpers/run-engine.js';

interface Tally {
  expected: number;
  found: number;
  sameProtocol: number;
  withHost: number;
  sameHost: number;
  samePackets: number;
  withJa3: number;
  sameJa3: number;
}

// ndpiReader prints the first SSH banner it saw (nDPI's "client signature") where others have
// the host name; the engine puts each banner on the side that sent it, so either may match.
function hasReportedHost(f: FlowRecord, expected: string): boolean {
  return f.ssh ? f.ssh.client === expected || f.ssh.server === expected : f.hostName === expected;
}

describe.skipIf(!corpusAvailable)('fidelity against ndpiReader 4.2 (all corpus captures)', () => {
  it('finds >= 99% of the flows, >= 99% with the same protocol, >= 99.5% with the same host name and JA3', async () => {
    const total: Tally = { expected: 0, found: 0, sameProtocol: 0, withHost: 0, sameHost: 0, samePackets: 0, withJa3: 0, sameJa3: 0 };
    const mismatches: string[] = [];
    for (const name of corpusCaptures()) {
      const run = await runCapture(capturePath(name), { ndpiReaderLimits: true });
      const flows = new Map<string, FlowRecord>();
      for (const f of run.finals) {
        flows.set(flowKey(f.ipProtocol, f.vlanId, f.lowerIp, f.lowerPort, f.upperIp, f.upperPort), f);
      }
      for (const e of readExpectedFlows(name)) {
        total.expected++;
        if (e.hostName) total.withHost++;
        if (e.ja3 !== ',') total.withJa3++;
        const f = flows.get(e.key);
        if (!f) {
          mismatches.push(`${name}: missing ${e.key}`);
          continue;
        }
        total.found++;
        if (f.protocolName === e.protocolName) total.sameProtocol++;
        else mismatches.push(`${name}: ${e.key} ${f.protocolName} != ${e.protocolName}`);
        if (e.hostName && hasReportedHost(f, e.hostName)) total.sameHost++;
        if (f.lowerPackets + f.upperPackets === e.packets) total.samePackets++;
        if (e.ja3 !== ',') {
          if (`${f.tls?.ja3c ?? ''},${f.tls?.ja3s ?? ''}` === e.ja3) total.sameJa3++;
          else mismatches.push(`${name}: ${e.key} JA3 ${f.tls?.ja3c ?? ''},${f.tls?.ja3s ?? ''} != ${e.ja3}`);
        }
      }
    }
    console.log(
      `native-dpi fidelity: ${total.found}/${total.expected} flows found, ${total.sameProtocol} same protocol, ` +
        `${total.sameHost}/${total.withHost} same host name, ${total.sameJa3}/${total.withJa3} same JA3, ` +
        `${total.samePackets} same packet count`,
    );
    expect(total.expected).toBeGreaterThan(3000);
    expect(total.found / total.expected, mismatches.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(total.sameProtocol / total.expected, mismatches.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(total.sameHost / total.withHost).toBeGreaterThanOrEqual(0.995);
    expect(total.withJa3).toBeGreaterThan(300);
    expect(total.sameJa3 / total.withJa3, mismatches.join('\n')).toBeGreaterThanOrEqual(0.995);
  }, 60_000);
});
