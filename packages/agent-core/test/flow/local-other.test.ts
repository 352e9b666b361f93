// Ensures local/other and other_type follow netifyd's GetLowerMap rows (FORMATS §3.3).
import { describe, expect, it } from 'vitest';
import type { AddressClass } from '../../src/flow/address-class.js';
import { isLocalOrigin, mapLocalOther } from '../../src/flow/local-other.js';

describe('mapLocalOther', () => {
  const rows: Array<[AddressClass, AddressClass, 4 | 6, boolean, string]> = [
    ['error', 'other', 4, true, 'error'],
    ['other', 'error', 4, true, 'error'],
    ['local', 'local', 4, true, 'local'],
    ['multicast', 'reserved', 4, false, 'multicast'],
    ['reserved', 'multicast', 4, true, 'multicast'],
    ['local', 'multicast', 6, true, 'multicast'],
    ['broadcast', 'local', 4, false, 'broadcast'],
    ['local', 'broadcast', 4, true, 'broadcast'],
    ['reserved', 'reserved', 4, true, 'local'],
    ['reserved', 'reserved', 6, true, 'unknown'],
    ['reserved', 'local', 4, false, 'remote'],
    ['local', 'reserved', 4, true, 'remote'],
    ['other', 'reserved', 4, false, 'remote'],
    ['other', 'other', 6, false, 'remote'],
    ['reserved', 'other', 4, true, 'remote'],
    ['local', 'other', 4, true, 'remote'],
  ];
  for (const [lower, upper, version, lowerIsLocal, otherType] of rows) {
    it(`${lower} ↔ ${upper} (IPv${version}) → ${lowerIsLocal ? 'lower' : 'upper'} local, ${otherType}`, () => {
      expect(mapLocalOther(lower, upper, version)).toEqual({ lowerIsLocal, otherType });
    });
  }

  it('local_origin is true when the originator is the local side', () => {
    expect(isLocalOrigin(true, true)).toBe(true);
    expect(isLocalOrigin(false, false)).toBe(true);
    expect(isLocalOrigin(true, false)).toBe(false);
    expect(isLocalOrigin(false, true)).toBe(false);
  });
});
