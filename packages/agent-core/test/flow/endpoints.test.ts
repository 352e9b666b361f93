// Ensures endpoints are the LAN hosts of one interval (FORMATS §7.4): LOCAL/RESERVED
// addresses with a unicast, non-zero, non-configured MAC, cleared at each take().
import { describe, expect, it } from 'vitest';
import { EndpointRecorder, isUnicastMac } from '../../src/flow/endpoints.js';

describe('EndpointRecorder', () => {
  it('records qualifying sides per MAC and starts over after take()', () => {
    const recorder = new EndpointRecorder((mac) => mac === '02:00:00:00:00:09');
    recorder.observe('28:37:37:00:6d:c8', '192.168.1.13', 'reserved');
    recorder.observe('28:37:37:00:6d:c8', 'fe80::1', 'reserved');
    recorder.observe('28:37:37:00:6d:c8', '192.168.1.13', 'local');
    recorder.observe('aa:00:00:00:00:01', '203.0.113.5', 'local');
    recorder.observe('aa:00:00:00:00:02', '140.82.114.4', 'other');
    recorder.observe('aa:00:00:00:00:03', '224.0.0.251', 'multicast');
    recorder.observe('02:00:00:00:00:09', '192.168.1.1', 'reserved');
    recorder.observe('01:00:5e:00:00:fb', '192.168.1.2', 'reserved');
    recorder.observe('00:00:00:00:00:00', '192.168.1.3', 'reserved');
    expect(recorder.take()).toEqual({ type: 'endpoints', '28:37:37:00:6d:c8': ['192.168.1.13', 'fe80::1'], 'aa:00:00:00:00:01': ['203.0.113.5'] });
    expect(recorder.take()).toEqual({ type: 'endpoints' });
  });

  it('accepts unicast MACs only', () => {
    expect(isUnicastMac('28:37:37:00:6d:c8')).toBe(true);
    expect(isUnicastMac('01:00:5e:00:00:fb')).toBe(false);
    expect(isUnicastMac('33:33:00:00:00:01')).toBe(false);
    expect(isUnicastMac('ff:ff:ff:ff:ff:ff')).toBe(false);
    expect(isUnicastMac('00:00:00:00:00:00')).toBe(false);
    expect(isUnicastMac('zz:00:00:00:00:01')).toBe(false);
    expect(isUnicastMac('')).toBe(false);
  });
});
