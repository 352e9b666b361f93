/**
 * Logs the first occurrence of a recurring problem at once, then at most one line per
 * `intervalMs` saying how many more happened, so a full disk or a full queue cannot
 * flood the log.
 */
export class ThrottledLog {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly write: (message: string) => void,
    private readonly intervalMs = 60_000,
  ) {}

  report(message: string): void {
    const now = Date.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more since the last report)` : '';
    this.write(`${message}${more}`);
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }

  /** Logs the count of anything suppressed since the last line; for stop(). */
  summarize(what: string): void {
    if (this.suppressed > 0) this.write(`${this.suppressed} more ${what} not logged individually`);
    this.suppressed = 0;
  }
}
