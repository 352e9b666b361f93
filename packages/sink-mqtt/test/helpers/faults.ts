/**
 * Fault durations. The normal suite uses a short broker outage to stay fast;
 * `NETIFYD_LONG_FAULTS=1` runs the full 30 s outage.
 */
export const LONG_FAULTS = process.env.NETIFYD_LONG_FAULTS === '1';
export const OUTAGE_MS = LONG_FAULTS ? 30_000 : 3_000;
/** Per-test timeout that leaves room for the outage. */
export const FAULT_TEST_TIMEOUT_MS = OUTAGE_MS + 25_000;

/** Prints a test's measured figures on one greppable line. */
export function reportFigures(test: string, figures: Record<string, number | string | boolean | undefined>): void {
  const shown = Object.entries(figures).map(([key, value]) => `${key}=${typeof value === 'number' ? round(value) : value}`);
  console.log(`[fault-figures] ${test}: ${shown.join(' ')}`);
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Math.round(value * 10) / 10;
}
