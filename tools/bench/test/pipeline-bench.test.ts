import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.js';
import { JS_AREAS } from '../src/pipeline/js-thread-areas.js';
import { CPU_PROFILE_ENV, runPipelineBench } from '../src/pipeline/pipeline-bench.js';
import { capturesDir, sharedAvailable } from './corpus.js';

const agentBuilt = existsSync(join(repoRoot, 'packages/agent-core/dist/cli.js')) && existsSync(join(repoRoot, 'packages/proc-core/dist/index.js'));
if (!agentBuilt) console.log('skipping pipeline bench runs: build agent-core and proc-core first (npm run bench builds them)');

async function smallCapture() {
  const path = join(capturesDir, '443-git.pcap');
  return { path, packets: 70, bytes: (await stat(path)).size, built: false };
}

describe.skipIf(!sharedAvailable || !agentBuilt)('pipeline bench on a real capture', () => {
  beforeAll(() => {
    // The agent is run with the bench's built preload (dist/pipeline/thread-times-preload.js).
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(repoRoot, 'tools/bench/tsconfig.build.json')]);
  });

  it('runs the agent with proc-core and sink-log in both encodings and ndpiReader, and reads every payload back', async () => {
    const runs: string[] = [];
    const result = await runPipelineBench({ capture: await smallCapture(), runs: 1, warmups: 0, timeoutMs: 60_000, onRun: (label) => runs.push(label) });
    expect(runs).toEqual(['pipeline json', 'ndpiReader', 'pipeline msgpack+gz']);
    for (const name of ['json', 'msgpack+gz']) {
      const [sample] = result.pipeline[name]!;
      expect(sample!.packets).toBe(70);
      expect(sample!.output.messages).toMatchObject({ agent_hello: 2, flow: 1, flow_dpi_complete: 1, flow_purge: 1 });
      expect(sample!.output.messages.agent_status).toBeGreaterThanOrEqual(1);
      expect(sample!.cpuS).toBeGreaterThan(0);
      expect(sample!.mainThreadCpuS).toBeGreaterThan(0);
      expect(sample!.mainThreadCpuS).toBeLessThanOrEqual(sample!.processCpuS);
      expect(sample!.maxRssKb).toBeGreaterThan(10_000);
    }
    expect(result.ndpiReader).toHaveLength(1);
  });

  it(`with ${CPU_PROFILE_ENV}, splits each run's JS thread CPU time by area of the pipeline`, async () => {
    process.env[CPU_PROFILE_ENV] = '1';
    try {
      const result = await runPipelineBench({ capture: await smallCapture(), runs: 1, warmups: 0, timeoutMs: 60_000 });
      for (const name of ['json', 'msgpack+gz']) {
        const [sample] = result.pipeline[name]!;
        const areas = sample!.jsAreas!;
        const total = Object.values(areas).reduce((sum, seconds) => sum + seconds, 0);
        expect(total).toBeCloseTo(sample!.mainThreadCpuS, 6);
        expect(Object.keys(areas)).toEqual([...JS_AREAS]);
        // A 70-packet capture: the run is mostly start-up (module loading, config), which is `other`.
        expect(areas.other).toBeGreaterThan(0);
      }
    } finally {
      delete process.env[CPU_PROFILE_ENV];
    }
  });

  it('fails the run, naming what was lost, when sink-log refuses payloads (a 1 KiB queue)', async () => {
    await expect(runPipelineBench({ capture: await smallCapture(), runs: 1, warmups: 0, timeoutMs: 60_000, maxQueueKb: 1 })).rejects.toMatchObject({
      code: 'ERR_BENCH_DROPPED',
      message: expect.stringMatching(/^pipeline json: not a valid result, data was lost or refused: .*max_queue_kb=1.*proc-core\.payloads_refused = [1-9]/),
    });
  });
});
