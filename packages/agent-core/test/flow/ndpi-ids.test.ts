// Ensures data/ndpi-ids.json is what scripts/gen-ndpi-ids.mjs makes from the nDPI headers
// installed here, so a different nDPI cannot silently shift the symbol → id table.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCLUDE_DIR, OUTPUT, parseProtocolIds, parseRiskIds, parseVersion, renderNdpiIds } from '../../scripts/gen-ndpi-ids.mjs';

const haveHeaders = existsSync(`${DEFAULT_INCLUDE_DIR}/ndpi_protocol_ids.h`);
if (!haveHeaders) console.log(`nDPI headers not found in ${DEFAULT_INCLUDE_DIR} (install libndpi-dev): regeneration check skipped`);

describe('gen-ndpi-ids', () => {
  it.skipIf(!haveHeaders)('regenerating from the installed nDPI headers gives the committed file', () => {
    expect(renderNdpiIds()).toBe(readFileSync(OUTPUT, 'utf8'));
  });

  it('reads protocol symbols with explicit ids and skips other lines', () => {
    const header = `typedef enum {\n  NDPI_PROTOCOL_UNKNOWN = 0,\n  NDPI_PROTOCOL_HTTP    = 7, /* comment */\n#ifdef X\n  NDPI_LAST_IMPLEMENTED_PROTOCOL\n} x;\n#define NDPI_PROTOCOL_SIZE 2\n`;
    expect(parseProtocolIds(header)).toEqual({ NDPI_PROTOCOL_UNKNOWN: 0, NDPI_PROTOCOL_HTTP: 7 });
  });

  it('numbers risk enum members implicitly, honours explicit values and comments, drops NDPI_MAX_RISK', () => {
    const header = `typedef enum {\n  NDPI_NO_RISK = 0,\n  NDPI_A, /* 1 */\n  NDPI_B = 5, // five\n  NDPI_C,\n  NDPI_MAX_RISK\n} ndpi_risk_enum;`;
    expect(parseRiskIds(header)).toEqual({ NDPI_NO_RISK: 0, NDPI_A: 1, NDPI_B: 5, NDPI_C: 6 });
    expect(() => parseRiskIds('typedef enum { X } other;')).toThrow(/ndpi_risk_enum/);
  });

  it('reads the release string', () => {
    expect(parseVersion('#define NDPI_GIT_RELEASE "4.2.0"\n')).toBe('4.2.0');
    expect(parseVersion('')).toBe('unknown');
  });

  it('the committed table is nDPI 4.2 with its well-known ids', () => {
    const table = JSON.parse(readFileSync(OUTPUT, 'utf8')) as { ndpi_version: string; protocols: Record<string, number>; risks: Record<string, number> };
    expect(table.ndpi_version).toBe('4.2.0');
    expect(table.protocols.NDPI_PROTOCOL_TLS).toBe(91);
    expect(table.protocols.NDPI_PROTOCOL_HOTMAIL).toBe(21);
    expect(table.risks.NDPI_TLS_CERTIFICATE_EXPIRED).toBe(9);
    expect(table.risks.NDPI_MAX_RISK).toBeUndefined();
  });
});
