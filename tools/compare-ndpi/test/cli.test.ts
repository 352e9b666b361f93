import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturesDir, corpusAvailable, expectedDir } from './corpus.js';
import { engineAvailable } from './engine-available.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(packageDir, 'dist/cli.js');
const tsc = resolve(packageDir, '../../node_modules/typescript/bin/tsc');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [cli, ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

let scratch = '';
// The command runs from dist/ (its engine worker is a separate .js file), so build it first.
beforeAll(() => {
  execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  scratch = mkdtempSync(join(tmpdir(), 'compare-ndpi-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('compare-ndpi command: usage and directory errors', () => {
  it('exits 2 naming a captures directory that does not exist', async () => {
    const result = await runCli(['--captures', join(scratch, 'none'), '--expected', scratch]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(`compare-ndpi: captures directory ${join(scratch, 'none')}: no such directory\n`);
  });

  it('exits 2 when a directory argument is a file', async () => {
    const file = join(scratch, 'file.txt');
    writeFileSync(file, 'x');
    const result = await runCli(['--captures', scratch, '--expected', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`compare-ndpi: expected-output directory ${file}: not a directory\n`);
  });

  it('exits 2 with the usage text when --expected is missing', async () => {
    const result = await runCli(['--captures', scratch]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^compare-ndpi: --expected DIR is required\n\nusage: compare-ndpi --captures DIR/);
  });
});

describe.skipIf(!corpusAvailable || !engineAvailable)('compare-ndpi command on real captures with the real engine', () => {
  it('prints a JSON report whose totals cover exactly the chosen captures', async () => {
    const result = await runCli(['--captures', capturesDir, '--expected', expectedDir, '--only', '443-git', 'ajp.pcap', '6in4tunnel', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      total: { captures: number; expectedFlows: number; found: { compared: number } };
      captures: Array<{ capture: string; found: number; protocol: { agree: number }; hostname: { agree: number; compared: number }; error?: string }>;
    };
    expect(report.captures.map((c) => c.capture)).toEqual(['443-git.pcap', '6in4tunnel.pcap', 'ajp.pcap']);
    expect(report.total).toMatchObject({ captures: 3, expectedFlows: 15, found: { compared: 15 } });
    expect(report.captures[0]).toMatchObject({ found: 1, protocol: { agree: 1 }, hostname: { agree: 1, compared: 1 } });
    expect(report.captures.every((c) => c.error === undefined)).toBe(true);
  });

  it('exits 1 and names the file when a capture has no expected output, still comparing the others', async () => {
    const captures = join(scratch, 'captures');
    const expected = join(scratch, 'expected');
    execFileSync('mkdir', ['-p', captures, expected]);
    for (const name of ['443-git.pcap', 'ajp.pcap']) symlinkSync(join(capturesDir, name), join(captures, name));
    symlinkSync(join(expectedDir, 'ajp.pcap.out'), join(expected, 'ajp.pcap.out'));
    const result = await runCli(['--captures', captures, '--expected', expected]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`443-git.pcap  0/0  -  ERROR: cannot read expected output ${join(expected, '443-git.pcap.out')}: no such file`);
    expect(result.stdout).toMatch(/^ajp\.pcap\s+\d\/4\s/m);
  });
});
