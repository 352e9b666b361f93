import { describe, expect, it } from 'vitest';
import { jsThreadAreas, scaledToCpu, type CpuProfile } from '../src/pipeline/js-thread-areas.js';

const ROOT = '/repo/packages';

/** A profile tree: root → program code → the frames below, each sampled for `ms`. */
function profile(stacks: Array<{ frames: Array<[string, string]>; ms: number }>): CpuProfile {
  const nodes: CpuProfile['nodes'] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] }];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (const { frames, ms } of stacks) {
    let parent = nodes[0]!;
    for (const [functionName, url] of frames) {
      const node = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] as number[] };
      nodes.push(node);
      parent.children!.push(node.id);
      parent = node;
    }
    samples.push(parent.id);
    timeDeltas.push(ms * 1000);
  }
  return { nodes, samples, timeDeltas };
}

describe('JS thread areas', () => {
  it('gives each sample to the innermost project frame on its stack, GC to gc, status work to status, and leaves idle out', () => {
    const areas = jsThreadAreas(profile([
      { frames: [['send', `file://${ROOT}/proc-core/dist/dispatcher.js`], ['encodeMessage', `file://${ROOT}/proc-core/dist/encode.js`], ['dflt', 'file:///repo/node_modules/fflate/esm/index.mjs']], ms: 30 },
      { frames: [['stringifyIfOrdered', `file://${ROOT}/proc-core/dist/json-encoder.js`]], ms: 20 },
      { frames: [['send', `file://${ROOT}/proc-core/dist/dispatcher.js`]], ms: 4 },
      { frames: [['onRecords', `file://${ROOT}/agent-core/dist/flow/flow-model.js`], ['buildFlow', `file://${ROOT}/agent-core/dist/flow/flow-builder.js`]], ms: 15 },
      { frames: [['classify', `file://${ROOT}/agent-core/dist/apps/application-detector.js`]], ms: 2 },
      { frames: [['onRecords', `file://${ROOT}/agent-core/dist/flow/flow-model.js`], ['assemble', `file://${ROOT}/agent-core/dist/flow/tick-assembler.js`]], ms: 6 },
      { frames: [['build', `file://${ROOT}/agent-core/dist/status.js`], ['status', `file://${ROOT}/agent-core/dist/plugins/plugin-host.js`], ['stats', `file://${ROOT}/sink-log/dist/log-sink.js`]], ms: 3 },
      { frames: [['append', `file://${ROOT}/sink-log/dist/record-queue.js`]], ms: 5 },
      { frames: [['decode', `file://${ROOT}/native-dpi/dist/record-decoder.js`]], ms: 7 },
      { frames: [['emit', `file://${ROOT}/agent-core/dist/agent.js`]], ms: 1 },
      { frames: [['readFileSync', 'node:fs']], ms: 2 },
      { frames: [['(garbage collector)', '']], ms: 9 },
      { frames: [['(idle)', '']], ms: 100 },
    ]));
    expect(areas.encode).toBeCloseTo(0.05, 10);
    expect(areas.routing).toBeCloseTo(0.004, 10);
    expect(areas['flow model']).toBeCloseTo(0.017, 10);
    expect(areas.ticks).toBeCloseTo(0.006, 10);
    expect(areas.status).toBeCloseTo(0.003, 10);
    expect(areas['sink-log']).toBeCloseTo(0.005, 10);
    expect(areas['record decoding']).toBeCloseTo(0.007, 10);
    expect(areas.gc).toBeCloseTo(0.009, 10);
    expect(areas.other).toBeCloseTo(0.003, 10);
  });

  it('scales the areas to the thread CPU time, keeping their proportions', () => {
    const areas = jsThreadAreas(profile([
      { frames: [['stringifyIfOrdered', `file://${ROOT}/proc-core/dist/json-encoder.js`]], ms: 30 },
      { frames: [['(garbage collector)', '']], ms: 10 },
    ]));
    const scaled = scaledToCpu(areas, 2);
    expect(scaled.encode).toBeCloseTo(1.5, 10);
    expect(scaled.gc).toBeCloseTo(0.5, 10);
    expect(scaled.status).toBe(0);
    expect(scaledToCpu(jsThreadAreas(profile([])), 1).encode).toBe(0);
  });
});
