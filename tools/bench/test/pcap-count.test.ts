import { openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countPcapPackets } from '../src/pcap-count.js';
import { capturesDir, manifest, sharedAvailable } from './corpus.js';

const PCAPNG_MAGIC = '0a0d0d0a';

function magicOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    return magic.toString('hex');
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!sharedAvailable)('counting pcap records', () => {
  // Several captures are pcapng whatever their extension says: tell them apart by magic number.
  const rows = sharedAvailable
    ? readFileSync(manifest, 'utf8').trim().split('\n').slice(1).map((line) => {
        const [file, , packets] = line.split('\t') as [string, string, string];
        return { file, packets: Number(packets), pcapng: magicOf(join(capturesDir, file)) === PCAPNG_MAGIC };
      })
    : [];

  it('finds the packet count of the manifest in every classic pcap capture (both byte orders, µs and ns)', async () => {
    // fuzz-2021-10-13.pcap: its one record claims 524,501 bytes in a 239-byte file (libpcap refuses it too).
    const classic = rows.filter((row) => !row.pcapng && row.file !== 'fuzz-2021-10-13.pcap');
    expect(classic.length).toBeGreaterThan(100);
    for (const { file, packets } of classic) {
      expect({ file, packets: await countPcapPackets(join(capturesDir, file)) }).toEqual({ file, packets });
    }
  });

  it('does not count a record cut short by the end of the file', async () => {
    expect(await countPcapPackets(join(capturesDir, 'fuzz-2021-10-13.pcap'))).toBe(0);
  });

  it('refuses a pcapng file and a missing file by name', async () => {
    const pcapng = join(capturesDir, rows.find((row) => row.pcapng)?.file as string);
    await expect(countPcapPackets(pcapng)).rejects.toThrow(`${pcapng}: not a classic pcap file`);
    await expect(countPcapPackets('/nonexistent.pcap')).rejects.toMatchObject({ code: 'ERR_BENCH_CAPTURE', message: expect.stringContaining('cannot open /nonexistent.pcap') });
  });
});
