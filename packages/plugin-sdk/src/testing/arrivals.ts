/** One message as the peer received it, framing removed: bytes or text. */
export type ReceivedMessage = Uint8Array | string;

function textOf(message: ReceivedMessage): string {
  const text = typeof message === 'string' ? message : Buffer.from(message).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

/**
 * How many of `expected` (message texts, in dispatch order) the peer has received in that
 * order; other messages in between (greetings, duplicates of an at-least-once delivery)
 * are allowed.
 */
export function countArrivedInOrder(expected: readonly string[], received: readonly ReceivedMessage[]): number {
  let next = 0;
  for (const message of received) {
    if (next === expected.length) break;
    if (textOf(message) === expected[next]) next += 1;
  }
  return next;
}

/** The first received message whose text contains `needle`, shortened for an error message. */
export function findText(received: readonly ReceivedMessage[], needle: string): string | undefined {
  const found = received.map(textOf).find((text) => text.includes(needle));
  return found === undefined ? undefined : found.length > 120 ? `${found.slice(0, 117)}...` : found;
}
