// Ensures nDPI 4.2 risk ids become netifyd risk ids by symbol (FORMATS §9): sorted, unique,
// unmapped ones dropped and logged once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile, type NdpiIdsFile } from '../../src/flow/data-files.js';
import { RiskTable } from '../../src/flow/risks.js';
import { DESIGN_DIR } from './design-files.js';
import { ndpiRisk } from './records.js';

describe('RiskTable', () => {
  it('maps nDPI risks to netifyd ids, ascending and without duplicates', () => {
    const table = new RiskTable();
    const ids = table.map([ndpiRisk('TLS_CERTIFICATE_MISMATCH'), ndpiRisk('TLS_CERTIFICATE_EXPIRED'), ndpiRisk('TLS_CERTIFICATE_EXPIRED')]);
    expect(ids).toEqual([30, 31]);
    expect(table.map([ndpiRisk('KNOWN_PROTOCOL_ON_NON_STANDARD_PORT'), ndpiRisk('TLS_MISSING_SNI')])).toEqual([16, 35]);
    expect(table.map([ndpiRisk('TLS_NOT_CARRYING_HTTPS')])).toEqual([47]);
    expect(table.map([])).toEqual([]);
  });

  it('maps the nDPI 4.2 spelling of a renamed risk', () => {
    expect(new RiskTable().map([ndpiRisk('HTTP_NUMERIC_IP_HOST')])).toEqual([10]);
  });

  it('drops NDPI_NO_RISK and ids nDPI does not define, logging an unknown id once', () => {
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    const table = new RiskTable({ debug: log, info: log, warn: log, error: log });
    expect(table.map([0, 63, 63, ndpiRisk('SMB_INSECURE_VERSION')])).toEqual([24]);
    expect(lines).toEqual(['nDPI risk id 63 has no netifyd risk id; dropped from risks']);
  });

  it.skipIf(!existsSync(join(DESIGN_DIR, 'netifyd-risks.txt')))('every nDPI 4.2 risk maps to an id of netifyd --dump-risks', () => {
    const known = new Set(readFileSync(join(DESIGN_DIR, 'netifyd-risks.txt'), 'utf8').split('\n').filter(Boolean).map((line) => Number(line.split(':')[0])));
    const table = new RiskTable();
    const risks = readDataFile<NdpiIdsFile>('ndpi-ids.json').risks;
    for (const [symbol, id] of Object.entries(risks)) {
      if (symbol === 'NDPI_NO_RISK') continue;
      const mapped = table.map([id]);
      expect(mapped, symbol).toHaveLength(1);
      expect(known.has(mapped[0]!), symbol).toBe(true);
    }
  });
});
