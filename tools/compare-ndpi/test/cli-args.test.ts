import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.js';

describe('compare-ndpi command line', () => {
  it('reads directories, several --only names in the three spellings, --json and --timeout', () => {
    const args = parseCliArgs(['--captures', 'c', '--expected=e', '--only', 'a.pcap', 'b', '--json', '--only=c,d', '--timeout', '5']);
    expect(args).toEqual({ capturesDir: 'c', expectedDir: 'e', only: ['a.pcap', 'b', 'c', 'd'], json: true, timeoutMs: 5000, help: false });
  });

  it('refuses missing directories, unknown flags, an empty --only and a bad timeout, with the usage text', () => {
    expect(() => parseCliArgs(['--captures', 'c'])).toThrow(/--expected DIR is required[\s\S]*usage: compare-ndpi/);
    expect(() => parseCliArgs(['--captures', '--expected', 'e'])).toThrow(/--captures needs a value/);
    expect(() => parseCliArgs(['--captures', 'c', '--expected', 'e', '--fast'])).toThrow(/unknown argument '--fast'/);
    expect(() => parseCliArgs(['--captures', 'c', '--expected', 'e', '--only', '--json'])).toThrow(/--only needs at least one capture name/);
    expect(() => parseCliArgs(['--captures', 'c', '--expected', 'e', '--timeout', '-1'])).toThrow(/--timeout '-1': expected a positive number/);
    expect(() => parseCliArgs(['--nope'])).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });

  it('accepts --help alone', () => {
    expect(parseCliArgs(['--help']).help).toBe(true);
  });
});
