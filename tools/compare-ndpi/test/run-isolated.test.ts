import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptureIsolated } from '../src/run-isolated.js';

const scratch = mkdtempSync(join(tmpdir(), 'compare-isolated-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in worker script: real child processes that end the ways an engine process can. */
function worker(name: string, body: string): string {
  const path = join(scratch, `${name}.mjs`);
  writeFileSync(path, body);
  return path;
}

describe('engine child process outcomes (scripted workers, fake engine)', () => {
  it('scripted worker (fake): flows sent over IPC come back with the source error', async () => {
    const path = worker('ok', "process.send({ ok: true, flows: [{ flowId: 1 }], sourceError: 'truncated' }, () => process.exit(0));");
    expect(await runCaptureIsolated('x.pcap', 10_000, path)).toEqual({ flows: [{ flowId: 1 }], sourceError: 'truncated' });
  });

  it('scripted worker (fake): an engine error is passed on as the capture error', async () => {
    const path = worker('err', "process.send({ ok: false, error: 'ERR_LINKTYPE: x.pcap: link type 147' }, () => process.exit(0));");
    expect(await runCaptureIsolated('x.pcap', 10_000, path)).toEqual({ error: 'ERR_LINKTYPE: x.pcap: link type 147' });
  });

  it('scripted worker (fake): a process killed by SIGSEGV is reported as a crash with its last stderr line', async () => {
    const path = worker('crash', "console.error('about to fault'); process.kill(process.pid, 'SIGSEGV');");
    expect(await runCaptureIsolated('x.pcap', 10_000, path)).toEqual({ error: 'engine process crashed (SIGSEGV): about to fault' });
  });

  it('scripted worker (fake): a process that never answers is killed at the timeout', async () => {
    const path = worker('hang', 'setInterval(() => {}, 1000);');
    expect(await runCaptureIsolated('x.pcap', 500, path)).toEqual({ error: 'engine process timed out after 0.5 s' });
  });

  it('scripted worker (fake): an exit without a message gives the exit code', async () => {
    const path = worker('exit', 'process.exit(7);');
    expect(await runCaptureIsolated('x.pcap', 10_000, path)).toEqual({ error: 'engine process exited with code 7' });
  });
});
