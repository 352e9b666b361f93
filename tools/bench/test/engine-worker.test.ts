import { execFileSync, execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { capturesDir, sharedAvailable } from './corpus.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function engineProblem(): Promise<string | undefined> {
  try {
    const module = (await import('@netifyd/native-dpi')) as { Engine?: unknown };
    return typeof module.Engine === 'function' ? undefined : 'it exports no Engine (not built yet?)';
  } catch (error) {
    return (error as Error).message;
  }
}
const problem = await engineProblem();
if (problem !== undefined) console.log(`skipping engine worker test: cannot load @netifyd/native-dpi: ${problem}`);

describe.skipIf(problem !== undefined || !sharedAvailable)('engine worker process', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [resolve(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', join(packageDir, 'tsconfig.build.json')]);
  });

  it('prints exactly one JSON line with the packets of the capture and its flows', async () => {
    const stdout = await new Promise<string>((done, fail) => {
      execFile(process.execPath, [join(packageDir, 'dist/engine/engine-worker.js'), join(capturesDir, '443-git.pcap')], { timeout: 60_000 }, (error, out) =>
        error ? fail(error) : done(out),
      );
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as { packets: number; flows: number; records: number; elapsedMs: number };
    expect(result).toMatchObject({ packets: 70, flows: 1 });
    expect(result.records).toBeGreaterThanOrEqual(3); // new, dpi_complete, expire (+ ticks)
    expect(result.elapsedMs).toBeGreaterThan(0);
  });
});
