// Ensures delivery counters start at zero with one dropped_<reason> per reason, that a
// drop counts in both the total and its reason, and that the stop summary names them all.
import { describe, expect, it } from 'vitest';
import { countDrop, createDeliveryCounters, describeDrops } from '../src/index.js';

describe('delivery counters', () => {
  const reasons = ['queue_full', 'at_stop'] as const;

  it('start at zero, with one counter per drop reason', () => {
    expect(createDeliveryCounters(reasons)).toEqual({
      queued: 0,
      sent: 0,
      retried: 0,
      dropped: 0,
      errors: 0,
      refused: 0,
      dropped_queue_full: 0,
      dropped_at_stop: 0,
    });
  });

  it('a drop counts in the total and in its reason; the summary lists every reason', () => {
    const counters = createDeliveryCounters(reasons);
    expect(describeDrops(counters, reasons)).toBeUndefined();
    countDrop(counters, 'queue_full', 4);
    countDrop(counters, 'at_stop');
    expect(counters).toMatchObject({ dropped: 5, dropped_queue_full: 4, dropped_at_stop: 1 });
    expect(describeDrops(counters, reasons)).toBe('dropped 5 payload(s) in total: queue_full 4, at_stop 1');
  });
});
