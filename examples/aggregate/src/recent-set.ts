/** A set that remembers only its newest `limit` entries (insertion order). */
export class RecentSet<T> {
  private readonly entries = new Set<T>();

  constructor(private readonly limit: number) {}

  has(value: T): boolean {
    return this.entries.has(value);
  }

  add(value: T): void {
    this.entries.add(value);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.values().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
