/**
 * Domain → value with netifyd's label-suffix match: the whole name is tried, then the name
 * without its leftmost label, and so on, so the most specific registered suffix wins. A
 * single-label entry (`dom:…:internal`) matches as a last resort like any other suffix.
 * `example.com` matches `www.example.com` but never `badexample.com` (label boundaries).
 */
export class DomainIndex<T> {
  private readonly entries = new Map<string, T>();

  get size(): number {
    return this.entries.size;
  }

  /** Adds `domain` unless present; returns false if it was already there (first entry wins). */
  add(domain: string, value: T): boolean {
    if (this.entries.has(domain)) return false;
    this.entries.set(domain, value);
    return true;
  }

  get(domain: string): T | undefined {
    return this.entries.get(domain);
  }

  /** The value of the longest registered suffix of `name` on a label boundary. */
  match(name: string): T | undefined {
    let candidate = name;
    for (;;) {
      const value = this.entries.get(candidate);
      if (value !== undefined) return value;
      const dot = candidate.indexOf('.');
      if (dot < 0) return undefined;
      candidate = candidate.slice(dot + 1);
    }
  }
}
