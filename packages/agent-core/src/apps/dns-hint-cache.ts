import { createHash } from 'node:crypto';

export interface DnsHintCacheOptions {
  /** Seconds an entry lives after its last insertion or lookup hit (`[dns-hint-cache] ttl`). */
  readonly ttlS: number;
  /** Entries kept at most; the least recently used go first (`cache_size`). */
  readonly maxEntries: number;
}

/** One saved row: the host, SHA-1 of the raw address, seconds left (FORMATS §11). */
export interface DnsHintRow {
  readonly host: string;
  readonly digest: string;
  readonly ttlS: number;
}

interface Entry {
  host: string;
  expiresMs: number;
}

/** Raw address bytes as a compact map key: the number for IPv4, 8 UTF-16 units for IPv6. */
function keyOf(bytes: Uint8Array): number | string {
  if (bytes.length === 4) return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  let key = '';
  for (let i = 0; i < 16; i += 2) key += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return key;
}

function bytesOf(key: number | string): Uint8Array {
  if (typeof key === 'number') return Uint8Array.of(key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255);
  return Uint8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? key.charCodeAt(i >> 1) >> 8 : key.charCodeAt(i >> 1) & 255));
}

/** SHA-1 of the raw address bytes, lowercase hex: netifyd's cache key and file column. */
export function addressDigest(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * netifyd's DNS hint cache (FORMATS §11): address → the name a DNS answer gave it. Every
 * insertion and lookup hit refreshes the entry's TTL and makes it the most recent, so
 * insertion order is expiry order: purging stops at the first live entry, and evicting the
 * least recently used is evicting the soonest-expiring. Times are the capture's (ms).
 * Entries restored from a file carry only the address digest; they are matched by digest
 * and moved to the main table when first hit, and all expire one TTL after the first time
 * the cache sees a clock (restored entries get a fresh TTL, as in netifyd).
 */
export class DnsHintCache {
  private readonly entries = new Map<number | string, Entry>();
  private readonly restored = new Map<string, string>();
  private restoredExpiresMs = Number.NaN;
  private nowMs = Number.NEGATIVE_INFINITY;
  private readonly ttlMs: number;

  constructor(private readonly options: DnsHintCacheOptions) {
    this.ttlMs = options.ttlS * 1000;
  }

  get size(): number {
    return this.entries.size + this.restored.size;
  }

  /** Records that `bytes` (an A/AAAA answer address) belongs to `host`. */
  learn(host: string, bytes: Uint8Array, nowMs: number): void {
    this.observe(nowMs);
    const key = keyOf(bytes);
    this.entries.delete(key);
    this.entries.set(key, { host, expiresMs: this.nowMs + this.ttlMs });
    if (this.restored.size > 0) this.restored.delete(addressDigest(bytes));
    this.evictBeyondLimit();
  }

  /** The host learned for `bytes`, refreshing its TTL; undefined when unknown or expired. */
  lookup(bytes: Uint8Array, nowMs: number): string | undefined {
    this.observe(nowMs);
    const key = keyOf(bytes);
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.expiresMs < this.nowMs) return undefined;
      this.entries.delete(key);
      entry.expiresMs = this.nowMs + this.ttlMs;
      this.entries.set(key, entry);
      return entry.host;
    }
    if (this.restored.size === 0 || this.restoredExpiresMs < this.nowMs) return undefined;
    const digest = addressDigest(bytes);
    const host = this.restored.get(digest);
    if (host === undefined) return undefined;
    this.restored.delete(digest);
    this.entries.set(key, { host, expiresMs: this.nowMs + this.ttlMs });
    return host;
  }

  /** Drops expired entries (each tick); returns how many went. */
  purge(nowMs: number): number {
    this.observe(nowMs);
    let dropped = 0;
    if (this.restored.size > 0 && this.restoredExpiresMs < this.nowMs) {
      dropped += this.restored.size;
      this.restored.clear();
    }
    for (const [key, entry] of this.entries) {
      if (entry.expiresMs >= this.nowMs) break;
      this.entries.delete(key);
      dropped++;
    }
    return dropped;
  }

  /** Adds rows read from a saved cache, oldest first, up to the size limit. */
  restore(rows: readonly Pick<DnsHintRow, 'host' | 'digest'>[]): void {
    for (const { host, digest } of rows) {
      this.restored.delete(digest);
      this.restored.set(digest, host);
    }
    if (Number.isFinite(this.nowMs)) this.restoredExpiresMs = this.nowMs + this.ttlMs;
    this.evictBeyondLimit();
  }

  /** Live entries as saved rows, least recently used first. */
  rows(): DnsHintRow[] {
    const secondsLeft = (expiresMs: number) => Math.max(0, Math.ceil((expiresMs - this.nowMs) / 1000));
    const rows: DnsHintRow[] = [];
    const restoredTtl = Number.isNaN(this.restoredExpiresMs) ? this.options.ttlS : secondsLeft(this.restoredExpiresMs);
    for (const [digest, host] of this.restored) rows.push({ host, digest, ttlS: restoredTtl });
    for (const [key, entry] of this.entries) {
      if (entry.expiresMs < this.nowMs) continue;
      rows.push({ host: entry.host, digest: addressDigest(bytesOf(key)), ttlS: secondsLeft(entry.expiresMs) });
    }
    return rows;
  }

  /** Capture time never runs backwards for the cache; restored entries start their TTL now. */
  private observe(nowMs: number): void {
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    if (Number.isNaN(this.restoredExpiresMs) && this.restored.size > 0) this.restoredExpiresMs = this.nowMs + this.ttlMs;
  }

  private evictBeyondLimit(): void {
    while (this.size > this.options.maxEntries) {
      if (this.restored.size > 0) this.restored.delete(this.restored.keys().next().value!);
      else this.entries.delete(this.entries.keys().next().value!);
    }
  }
}
