// Ensures nDPI 4.2 ids map to netifyd 5.0.7's protocol ids and names (FORMATS §9): by
// symbol, with the TLS port table, renamed 4.2 symbols, silent services and logged gaps.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile, type NdpiIdsFile, type NdpiToNetifydFile } from '../../src/flow/data-files.js';
import { ProtocolTable } from '../../src/flow/protocols.js';
import { DESIGN_DIR } from './design-files.js';
import { ndpi } from './records.js';

function recordingLogger() {
  const lines: string[] = [];
  const log = (line: string) => void lines.push(line);
  return { lines, logger: { debug: log, info: log, warn: log, error: log } };
}

describe('ProtocolTable', () => {
  const table = new ProtocolTable();
  const map = (symbol: string, lower = 1000, upper = 2000) => table.map(ndpi(symbol), lower, upper);

  it('maps the examples of FORMATS §9', () => {
    expect(map('TLS', 443, 50000)).toBe(196);
    expect(table.name(196)).toBe('HTTP/S');
    expect(map('TLS', 8443, 50000)).toBe(91);
    expect(map('HTTP')).toBe(7);
    expect(map('QUIC')).toBe(188);
    expect(map('DNS')).toBe(5);
    expect(map('SSH')).toBe(92);
    expect(map('BITTORRENT')).toBe(37);
    expect(map('LLMNR')).toBe(154);
    expect(map('SSDP')).toBe(12);
    expect(map('DHCP')).toBe(18);
    expect(map('DOH_DOT')).toBe(261);
    expect(table.name(261)).toBe('DoQ');
  });

  it('applies the TLS port table on either port, in netifyd order, to TLS only', () => {
    const cases: Array<[number, number]> = [
      [53, 260], [853, 260], [563, 259], [465, 29], [587, 29], [585, 51], [993, 51], [995, 23],
      [989, 256], [990, 21], [1883, 258], [8883, 258], [5061, 257], [6514, 302], [6697, 279],
    ];
    for (const [port, id] of cases) {
      expect(map('TLS', port, 40000)).toBe(id);
      expect(map('TLS', 40000, port)).toBe(id);
    }
    // 53 comes before 443 in netifyd's list.
    expect(map('TLS', 53, 443)).toBe(260);
    expect(map('HTTP', 443, 993)).toBe(7);
  });

  it('maps nDPI 4.2 symbols later nDPI releases renamed', () => {
    expect(map('DCERPC')).toBe(127);
    expect(table.name(127)).toBe('RPC');
    expect(map('IP_IPSEC')).toBe(79);
    expect(map('SKYPE_CALL')).toBe(38);
    expect(map('QQLIVE')).toBe(61);
  });

  it('maps nDPI 0 and nDPI services (applications, disabled in netifyd) to 0 without logging', () => {
    const { lines, logger } = recordingLogger();
    const quiet = new ProtocolTable(logger);
    expect(quiet.map(0, 1, 2)).toBe(0);
    expect(quiet.map(ndpi('GITHUB'), 1, 2)).toBe(0);
    expect(quiet.map(ndpi('YOUTUBE'), 1, 2)).toBe(0);
    expect(quiet.map(ndpi('HOTMAIL'), 1, 2)).toBe(0);
    expect(lines).toEqual([]);
  });

  it('maps a symbol netifyd has no id for to 0/Unknown and logs it once', () => {
    const { lines, logger } = recordingLogger();
    const logged = new ProtocolTable(logger);
    expect(logged.map(ndpi('AIMINI'), 1, 2)).toBe(0);
    expect(logged.map(ndpi('AIMINI'), 1, 2)).toBe(0);
    expect(logged.map(9999, 1, 2)).toBe(0);
    expect(lines).toEqual([
      `nDPI protocol NDPI_PROTOCOL_AIMINI (id ${ndpi('AIMINI')}) has no netifyd protocol id; such flows report 0/Unknown`,
      "nDPI protocol id 9999 is not in nDPI 4.2.0's table; such flows report 0/Unknown",
    ]);
  });

  it('names unknown ids Unknown and lists netifyd ids in order', () => {
    expect(table.name(0)).toBe('Unknown');
    expect(table.name(22)).toBe('Unknown');
    const entries = table.entries();
    expect(entries[0]).toEqual({ id: 0, tag: 'Unknown' });
    expect(entries.map((entry) => entry.id)).toEqual([...entries.map((entry) => entry.id)].sort((a, b) => a - b));
  });

  it('every nDPI 4.2 symbol is mapped, a known service, or one of the retired protocols', () => {
    const ids = readDataFile<NdpiIdsFile>('ndpi-ids.json');
    const mapping = readDataFile<NdpiToNetifydFile>('ndpi-to-netifyd.json');
    const { lines, logger } = recordingLogger();
    const check = new ProtocolTable(logger);
    for (const id of Object.values(ids.protocols)) check.map(id, 1, 2);
    const unmapped = lines.map((line) => /NDPI_PROTOCOL_(\w+)/.exec(line)?.[1]).sort();
    // Protocols netifyd retired (deprecated ids) and nDPI placeholders.
    expect(unmapped).toEqual([
      'AIMINI', 'APPLEJUICE', 'AYIYA', 'DIRECTCONNECT', 'DIRECT_DOWNLOAD_LINK', 'FASTTRACK', 'FIESTA',
      'FLORENSIA', 'FREE_64', 'OPENFT', 'SHOUTCAST', 'SOPCAST', 'STEALTHNET', 'THUNDER',
    ]);
    for (const symbol of Object.keys(mapping.ndpi_renames)) expect(ids.protocols[symbol]).toBeDefined();
  });

  it.skipIf(!existsSync(join(DESIGN_DIR, 'netifyd-protocols.txt')))('names equal netifyd --dump-protos (netifyd-protocols.txt)', () => {
    const text = readFileSync(join(DESIGN_DIR, 'netifyd-protocols.txt'), 'utf8');
    const expected = text.split('\n').filter(Boolean).map((line) => {
      const [id, ...name] = line.split(':');
      return { id: Number(id), tag: name.join(':').trim() };
    });
    expect(table.entries()).toEqual(expected);
  });
});
