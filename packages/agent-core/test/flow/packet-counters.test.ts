// Ensures interface counters always carry netifyd's 22 integer keys and global counters
// accumulate (sum, but the largest packet is a maximum).
import { describe, expect, it } from 'vitest';
import { GlobalCounters, PACKET_COUNTER_KEYS, toPacketCounters, zeroCounters } from '../../src/flow/packet-counters.js';

describe('packet counters', () => {
  it('keeps exactly the 22 keys as integers, 0 for missing or bad values', () => {
    const counters = toPacketCounters({ raw: 5.9, ip: Number.NaN, tcp: Number.POSITIVE_INFINITY, extra: 7 });
    expect(Object.keys(counters)).toEqual([...PACKET_COUNTER_KEYS]);
    expect(PACKET_COUNTER_KEYS).toHaveLength(22);
    expect(counters).toMatchObject({ raw: 5, ip: 0, tcp: 0 });
    expect(counters).not.toHaveProperty('extra');
    expect(toPacketCounters(undefined).wire_bytes).toBe(0);
  });

  it('global counters sum intervals and keep the largest packet size', () => {
    const global = new GlobalCounters();
    global.add(toPacketCounters({ raw: 3, largest_bytes: 1500, flow_dropped: 1 }));
    global.add(toPacketCounters({ raw: 4, largest_bytes: 60, flow_dropped: 2 }));
    expect(global.message()).toMatchObject({ type: 'global_stats', raw: 7, largest_bytes: 1500, flow_dropped: 3 });
    expect(Object.keys(global.message())).toEqual([...PACKET_COUNTER_KEYS, 'type'].sort());
  });

  it('lists the counters in byte order, as every counter object is built', () => {
    expect(PACKET_COUNTER_KEYS).toEqual([...PACKET_COUNTER_KEYS].sort());
    expect(Object.keys(zeroCounters())).toEqual([...PACKET_COUNTER_KEYS]);
    expect(Object.values(zeroCounters()).every((value) => value === 0)).toBe(true);
  });
});
