// Ensures the decoder's allocation savers give the same values as the plain way: MAC and
// IPv4 text from bounded caches, and tick counters from the generated literal or the key-by-key
// fallback (used when code generation from strings is disallowed). Also that the decoder reads
// only the record format it was written for.
import { describe, expect, it } from 'vitest';
import { binding } from '../src/binding.js';
import { EngineError } from '../src/errors.js';
import { counterReader, RECORD_FORMAT, RecordDecoder } from '../src/record-decoder.js';
import { ipv4Text, Reader } from '../src/record-reader.js';

function bufferOf(bytes: number[]): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

describe('record reader', () => {
  it('formats MACs as lowercase colon-separated hex, from the cache when seen before', () => {
    const cache = new Map<number, string>();
    const macs = [
      [0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c],
      [0x02, 0x00, 0x00, 0x00, 0x00, 0x01],
    ];
    const r = new Reader(bufferOf(macs.flat()));
    const texts = macs.map(() => r.mac(cache));
    expect(texts).toEqual(['00:1b:21:3a:4b:5c', 'ff:ff:ff:ff:ff:ff', '00:1b:21:3a:4b:5c', '02:00:00:00:00:01']);
    expect(cache.size).toBe(3);
  });

  it('keeps the MAC cache bounded when a link shows many addresses', () => {
    const cache = new Map<number, string>();
    const count = 10_000;
    const bytes: number[] = [];
    for (let i = 0; i < count; i++) bytes.push(0x02, 0, 0, (i >> 16) & 255, (i >> 8) & 255, i & 255);
    const r = new Reader(bufferOf(bytes));
    let last = '';
    for (let i = 0; i < count; i++) last = r.mac(cache);
    expect(last).toBe('02:00:00:00:27:0f');
    expect(cache.size).toBeLessThanOrEqual(4096);
  });

  it('reads IPv4 addrs as dotted text from the cache and IPv6 addrs as their text', () => {
    const cache = new Map<number, string>();
    const v6 = new TextEncoder().encode('2001:db8::1');
    const r = new Reader(
      bufferOf([192, 168, 1, 10, 0, 0, 0, 0, 255, 255, 255, 255, 192, 168, 1, 10, v6.length, 0, ...v6, 10, 0, 0, 1, 0x7f]),
    );
    expect([r.ip(4, cache), r.ip(4, cache), r.ip(4, cache), r.ip(4, cache), r.ip(6, cache)]).toEqual([
      '192.168.1.10',
      '0.0.0.0',
      '255.255.255.255',
      '192.168.1.10',
      '2001:db8::1',
    ]);
    expect(cache.size).toBe(3);
    r.skipIp(4);
    expect(r.u8()).toBe(0x7f);
  });

  it('keeps the IPv4 cache bounded', () => {
    const cache = new Map<number, string>();
    let last = '';
    for (let i = 0; i < 100_000; i++) last = ipv4Text(cache, [10, (i >> 16) & 255, (i >> 8) & 255, i & 255]);
    expect(last).toBe('10.1.134.159');
    expect(cache.size).toBeLessThanOrEqual(65_536);
  });

  it('reads tick counters to the same object whether generated or built key by key', () => {
    const names = ['raw', 'ethernet', 'discarded', 'a "quoted" name'];
    const values = [1_200_000, 1_199_000, 1_000, 2 ** 40 + 0.5];
    const buffer = new Float64Array(values).buffer;
    const generated = counterReader(names)(new Reader(buffer));
    const looped = counterReader(names, false)(new Reader(buffer));
    expect(generated).toEqual(Object.fromEntries(names.map((n, i) => [n, values[i]])));
    expect(Object.keys(generated)).toEqual(names);
    expect(looped).toEqual(generated);
    expect(Object.keys(looped)).toEqual(names);
  });

  it('reads the record format the built addon writes', () => {
    expect(binding().recordFormat).toBe(RECORD_FORMAT);
  });

  it('refuses a batch in another record format, naming both, instead of misreading it', () => {
    const batch = new Uint32Array([RECORD_FORMAT - 1, 1, 0x01010101, 0x01010101]).buffer;
    const decode = (): unknown => new RecordDecoder(binding().sourceCounterNames).decode(batch);
    expect(decode).toThrow(EngineError);
    expect(decode).toThrow(/writes record format 0x4e445233 but this JS decoder reads 0x4e445234; rebuild/);
  });
});
