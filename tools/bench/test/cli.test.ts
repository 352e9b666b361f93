import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/cli.js';

describe('bench arguments', () => {
  it('defaults to both benches, 5 runs and 1 warm-up and reads every option', () => {
    expect(parseBenchArgs([])).toEqual({ benches: ['engine', 'pipeline'], runs: 5, warmups: 1, json: false });
    expect(parseBenchArgs(['--runs', '7', '--warmups', '0', '--threads', '4', '--json'])).toEqual({
      benches: ['engine', 'pipeline'],
      runs: 7,
      warmups: 0,
      detectionThreads: 4,
      json: true,
    });
  });

  it('runs only the benches named, once each, in the order given', () => {
    expect(parseBenchArgs(['pipeline']).benches).toEqual(['pipeline']);
    expect(parseBenchArgs(['pipeline', '--runs', '3', 'engine', 'pipeline']).benches).toEqual(['pipeline', 'engine']);
  });

  it('refuses bad counts and unknown arguments with the usage text', () => {
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs '0': expected an integer >= 1[\s\S]*usage: npm run bench/);
    expect(() => parseBenchArgs(['--threads'])).toThrow(/--threads '': expected an integer >= 1/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(() => parseBenchArgs(['pipelines'])).toThrow(/unknown argument 'pipelines'/);
  });
});
