// Ensures the ABI rule: equal majors, plugin minor not above the agent's.
import { describe, expect, it } from 'vitest';
import { isAbiCompatible, parseAbi, PLUGIN_ABI } from '../src/index.js';

describe('plugin ABI', () => {
  it('is MAJOR.MINOR', () => {
    expect(parseAbi(PLUGIN_ABI)).toEqual({ major: 1, minor: 0 });
    expect(parseAbi('1')).toBeUndefined();
    expect(parseAbi('1.0.0')).toBeUndefined();
    expect(parseAbi(1.0)).toBeUndefined();
  });

  it('accepts an older or equal minor of the same major and nothing else', () => {
    expect(isAbiCompatible('1.3', '1.4')).toBe(true);
    expect(isAbiCompatible('1.4', '1.4')).toBe(true);
    expect(isAbiCompatible('1.4', '1.3')).toBe(false);
    expect(isAbiCompatible('2.0', '1.9')).toBe(false);
    expect(isAbiCompatible('0.9', '1.0')).toBe(false);
    expect(isAbiCompatible('x', '1.0')).toBe(false);
  });
});
