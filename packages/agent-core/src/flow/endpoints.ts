import type { EndpointsMessage } from '@netifyd/plugin-sdk';
import type { AddressClass } from './address-class.js';
import { namedMessage } from './named-message.js';

/**
 * LAN hosts (MAC → IPs) seen during the current interval (FORMATS §7.4): at first
 * classification, each side whose address class is LOCAL or RESERVED and whose MAC is
 * unicast, non-zero and not configured with `-A` is recorded. `take()` hands the interval's
 * set to the tick and starts a new one (netifyd's double buffer).
 */
export class EndpointRecorder {
  private current = new Map<string, Set<string>>();

  constructor(private readonly isReservedMac: (mac: string) => boolean = () => false) {}

  /** Records one side of a newly classified flow if it qualifies. */
  observe(mac: string, ip: string, addressClass: AddressClass): void {
    if (addressClass !== 'local' && addressClass !== 'reserved') return;
    if (!isUnicastMac(mac) || this.isReservedMac(mac)) return;
    let ips = this.current.get(mac);
    if (!ips) {
      ips = new Set();
      this.current.set(mac, ips);
    }
    ips.add(ip);
  }

  /** The interval's endpoints as an `endpoints` message; recording restarts empty. */
  take(): EndpointsMessage {
    const byMac = new Map<string, string[]>();
    for (const [mac, ips] of this.current) byMac.set(mac, [...ips]);
    if (this.current.size > 0) this.current = new Map();
    return namedMessage<EndpointsMessage>('endpoints', byMac);
  }
}

const ZERO_MAC = '00:00:00:00:00:00';

/** Unicast (group bit clear) and not all zeros; `mac` as the engine writes it (`aa:bb:…`). */
export function isUnicastMac(mac: string): boolean {
  if (mac.length !== 17 || mac === ZERO_MAC) return false;
  const first = Number.parseInt(mac.slice(0, 2), 16);
  return !Number.isNaN(first) && (first & 1) === 0;
}
