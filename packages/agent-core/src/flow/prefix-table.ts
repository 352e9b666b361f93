/**
 * Longest-prefix match over IPv4 and IPv6 networks: one hash map per prefix length,
 * probed from the longest length down. Tables hold a handful of lengths, so a lookup is a
 * few map probes; insertion of an identical prefix overwrites (netifyd's behaviour).
 */
export class PrefixTable<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private readonly v6 = new Map<number, Map<string, T>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];

  get size(): number {
    let count = 0;
    for (const entries of this.v4.values()) count += entries.size;
    for (const entries of this.v6.values()) count += entries.size;
    return count;
  }

  /** `bytes` is a 4- or 16-byte address; bits beyond `prefix` are ignored. */
  insert(bytes: Uint8Array, prefix: number, value: T): void {
    if (bytes.length === 4) {
      let entries = this.v4.get(prefix);
      if (!entries) {
        entries = new Map();
        this.v4.set(prefix, entries);
        this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
      }
      entries.set(v4Key(bytes, prefix), value);
    } else {
      let entries = this.v6.get(prefix);
      if (!entries) {
        entries = new Map();
        this.v6.set(prefix, entries);
        this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
      }
      entries.set(v6Key(bytes, prefix), value);
    }
  }

  /** The value of the longest prefix containing `bytes`, if any. */
  lookup(bytes: Uint8Array): T | undefined {
    if (bytes.length === 4) {
      for (const prefix of this.v4Lengths) {
        const value = this.v4.get(prefix)?.get(v4Key(bytes, prefix));
        if (value !== undefined) return value;
      }
      return undefined;
    }
    for (const prefix of this.v6Lengths) {
      const value = this.v6.get(prefix)?.get(v6Key(bytes, prefix));
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

function v4Key(bytes: Uint8Array, prefix: number): number {
  const address = (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
  if (prefix === 0) return 0;
  return (address & (~0 << (32 - prefix))) >>> 0;
}

function v6Key(bytes: Uint8Array, prefix: number): string {
  let key = '';
  const whole = prefix >> 3;
  for (let i = 0; i < whole; i++) key += String.fromCharCode(bytes[i] ?? 0);
  const partial = prefix & 7;
  if (partial !== 0) key += String.fromCharCode((bytes[whole] ?? 0) & (0xff << (8 - partial)) & 0xff);
  return key;
}
