/**
 * A check for `dispatch()`: true when the payload carries its data as bytes. Anything else
 * is a processor bug; it is counted in `errors` and refused, and only the first is
 * reported, so a broken processor cannot flood the log nor make dispatch throw.
 */
export function createPayloadGuard(counters: { errors: number }, report: (message: string) => void): (channel: string, payload: unknown) => boolean {
  let reported = false;
  return (channel, payload) => {
    if ((payload as { data?: unknown } | null | undefined)?.data instanceof Uint8Array) return true;
    counters.errors += 1;
    if (!reported) {
      reported = true;
      report(`${channel}: payload refused: no data bytes (further malformed payloads are only counted)`);
    }
    return false;
  };
}
