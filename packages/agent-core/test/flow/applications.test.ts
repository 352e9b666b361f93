// Ensures the project's application table names the service nDPI detects (TLS.Github →
// netify.github) with ids that cannot be mistaken for netifyd protocol ids.
import { describe, expect, it } from 'vitest';
import { ApplicationTable } from '../../src/flow/applications.js';
import { readDataFile, type ApplicationsFile } from '../../src/flow/data-files.js';
import { ndpi } from './records.js';

describe('ApplicationTable', () => {
  const table = new ApplicationTable();

  it('looks up nDPI app first, then master', () => {
    expect(table.lookup(ndpi('GITHUB'), ndpi('TLS'))?.tag).toBe('netify.github');
    expect(table.lookup(0, ndpi('YOUTUBE'))?.tag).toBe('netify.youtube');
    expect(table.lookup(ndpi('YOUTUBE_UPLOAD'), ndpi('QUIC'))?.tag).toBe('netify.youtube');
    expect(table.lookup(ndpi('HTTP'), ndpi('TLS'))).toBeUndefined();
    expect(table.lookup(0, 0)).toBeUndefined();
  });

  it('has unique ids ≥ 10000 and unique netify.* tags whose nDPI symbols exist', () => {
    const entries = readDataFile<ApplicationsFile>('applications.json').applications;
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    expect(new Set(entries.map((entry) => entry.tag)).size).toBe(entries.length);
    for (const entry of entries) {
      expect(entry.id).toBeGreaterThanOrEqual(10000);
      expect(entry.tag).toMatch(/^netify\.[a-z0-9-]+$/);
      for (const symbol of entry.ndpi) expect(() => ndpi(symbol.replace('NDPI_PROTOCOL_', ''))).not.toThrow();
    }
    expect(table.entries()).toHaveLength(entries.length);
  });
});
