// Little-endian reads over one batch buffer (layout: src/native/events/record.h).

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const MAC_CACHE_LIMIT = 4096;
const IPV4_CACHE_LIMIT = 65536;

/** Text for 32-bit keys (addresses) that repeat: each formatted once, the cache bounded. */
export type TextCache = Map<number, string>;

/** An IPv4 address in dotted form, from its 4 bytes (network order). */
export function ipv4Text(cache: TextCache, bytes: ArrayLike<number>, at = 0): string {
  const b0 = bytes[at] as number;
  const b1 = bytes[at + 1] as number;
  const b2 = bytes[at + 2] as number;
  const b3 = bytes[at + 3] as number;
  const key = b0 * 0x1000000 + b1 * 0x10000 + b2 * 0x100 + b3;
  let text = cache.get(key);
  if (text === undefined) {
    if (cache.size >= IPV4_CACHE_LIMIT) cache.clear();
    text = `${b0}.${b1}.${b2}.${b3}`;
    cache.set(key, text);
  }
  return text;
}

/** Buffer's native slice decoder, without toString()'s argument checks (hot path). */
interface Utf8Slicer {
  utf8Slice(start: number, end: number): string;
}

export class Reader {
  private offset = 0;
  private readonly view: DataView;
  private readonly bytes: Buffer & Utf8Slicer;

  constructor(buffer: ArrayBuffer) {
    this.view = new DataView(buffer);
    this.bytes = Buffer.from(buffer) as Buffer & Utf8Slicer;
  }
  u8(): number {
    return this.view.getUint8(this.offset++);
  }
  u16(): number {
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  str(): string {
    const n = this.u16();
    if (n === 0) return '';
    const start = this.offset;
    this.offset += n;
    return this.bytes.utf8Slice(start, this.offset);
  }
  /** A string whose value is fixed by `key`: decoded once, then only skipped. */
  cachedStr(cache: TextCache, key: number): string {
    const known = cache.get(key);
    if (known === undefined) {
      const value = this.str();
      cache.set(key, value);
      return value;
    }
    this.offset += 2 + this.view.getUint16(this.offset, true);
    return known;
  }
  skipStr(): void {
    this.offset += 2 + this.view.getUint16(this.offset, true);
  }
  skip(bytes: number): void {
    this.offset += bytes;
  }
  /** A copy of the next `n` bytes (the batch's memory is released after the callback). */
  copy(n: number): Uint8Array {
    const out = new Uint8Array(n);
    out.set(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return out;
  }
  /**
   * A MAC address as text. A link has few distinct MACs, so each is formatted once per
   * `cache` (bounded), not as a fresh string of ten joined pieces per flow.
   */
  mac(cache: TextCache): string {
    const b = this.bytes;
    const o = this.offset;
    this.offset += 6;
    const key = (b[o] as number) * 2 ** 40 + (b[o + 1] as number) * 2 ** 32 + b.readUInt32BE(o + 2);
    let text = cache.get(key);
    if (text === undefined) {
      if (cache.size >= MAC_CACHE_LIMIT) cache.clear();
      const hex = Array.from(b.subarray(o, o + 6), (byte) => HEX[byte] as string);
      text = hex.join(':');
      cache.set(key, text);
    }
    return text;
  }
  /** An addr (record.h): IPv4 as 4 bytes formatted through `ipv4s`, IPv6 as text. */
  ip(version: number, ipv4s: TextCache): string {
    if (version !== 4) return this.str();
    const text = ipv4Text(ipv4s, this.bytes, this.offset);
    this.offset += 4;
    return text;
  }
  skipIp(version: number): void {
    if (version === 4) this.offset += 4;
    else this.skipStr();
  }
  strings(): string[] {
    const n = this.u8();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.str());
    return out;
  }
}

