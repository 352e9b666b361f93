// Ensures live capture works on a real interface: a veth pair between two network
// namespaces this test creates, ping and UDP across it, the engine (in one namespace) sees
// both flows, applies a per-source BPF filter and ticks on the wall clock.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type EngineRecord, type FlowRecord } from '../src/index.js';
import { packageDir } from './helpers/corpus.js';
import { createNetnsPair, netnsUnavailable, type NetnsPair } from './helpers/netns.js';

const unavailable = await netnsUnavailable();
if (unavailable) console.warn(`native-dpi: live capture tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('live capture in a network namespace pair', () => {
  let lab: NetnsPair | undefined;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    lab = await createNetnsPair();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await lab?.destroy();
  });

  it('sees ping and UDP flows across the veth, filters per source, ticks on the wall clock', async () => {
    const pair = lab as NetnsPair;
    child = spawn('ip', ['netns', 'exec', pair.nsA, process.execPath, join(packageDir, 'test/fixtures/live-capture.mjs'), pair.ifA, 'icmp']);
    const lines = createInterface({ input: child.stdout });
    const output: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        output.push(line);
        if (line === 'ready') resolve();
      });
      child?.once('exit', (code) => reject(new Error(`capture process exited (${code}): ${output.join('\n')} ${stderr}`)));
    });
    await ready;

    await pair.exec(pair.nsA, ['ping', '-c', '3', '-i', '0.2', '-W', '1', pair.addrB]);
    const udp = `const s=require('dgram').createSocket('udp4');s.bind(40123,()=>s.send('hello from a',9999,'${pair.addrB}',()=>s.close()))`;
    await pair.exec(pair.nsA, [process.execPath, '-e', udp]);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child.stdin.write('close\n');
    expect(await exited).toBe(0);
    const records = output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as EngineRecord | { counters: ReturnType<Engine['counters']> });
    const finals = records.filter((r): r is FlowRecord => 'kind' in r && r.kind === 'expire');

    const icmp = finals.filter((f) => f.ipProtocol === 1 && f.lowerIp === pair.addrA && f.upperIp === pair.addrB);
    expect(icmp.map((f) => f.source).sort()).toEqual([0, 1]);
    // B answers 3 echo requests, and the UDP datagram (no listener) with a port unreachable.
    for (const f of icmp) {
      expect(f).toMatchObject({ protocolName: 'ICMP', lowerPackets: 3, upperPackets: 4, reason: 'terminated' });
    }
    const udpFlows = finals.filter((f) => f.ipProtocol === 17 && f.lowerPort === 40123 && f.upperPort === 9999);
    expect(udpFlows.map((f) => f.source)).toEqual([0]);
    expect(udpFlows[0]).toMatchObject({ lowerIp: pair.addrA, upperIp: pair.addrB, lowerPackets: 1, upperPackets: 0, originLower: true });

    const ticks = records.filter((r) => 'kind' in r && r.kind === 'tick');
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks[ticks.length - 1]).toMatchObject({ final: true });
    const counters = (records.find((r) => 'counters' in r) as { counters: ReturnType<Engine['counters']> }).counters;
    expect(counters.sources.map((s) => [s.name, s.live, s.linkType])).toEqual([
      ['all', true, 'EN10MB (1)'],
      ['filtered', true, 'EN10MB (1)'],
    ]);
    expect(counters.sources[0]?.totals.queue_dropped).toBe(0);
  });

  it('an interface that does not exist: ERR_CAPTURE_OPEN naming it', () => {
    const engine = new Engine();
    expect(() => engine.addLiveSource({ name: 'x', iface: 'no-such-if0' })).toThrow(
      expect.objectContaining({ code: 'ERR_CAPTURE_OPEN', message: expect.stringContaining("interface 'no-such-if0' cannot be opened") }),
    );
    void engine.close();
  });
});
