// nDPI's fingerprint code is linked to a direct writer for its simple snprintf formats
// (src/native/detect/ndpi_snprintf.cc). It must write what glibc writes: the addon compares
// both on nDPI's formats, truncation, edge cases and random values; the corpus fidelity
// suite compares the resulting JA3 hashes with ndpiReader's.
import { describe, expect, it } from 'vitest';
import { binding } from '../src/binding.js';

describe('snprintf as nDPI is linked to it', () => {
  it('writes and counts exactly what glibc does, for the formats it handles and those it passes on', () => {
    expect(binding().checkFastSnprintf()).toEqual([]);
  });
});
