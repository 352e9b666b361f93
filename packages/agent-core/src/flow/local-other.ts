import type { OtherType } from '@netifyd/plugin-sdk';
import type { AddressClass } from './address-class.js';

/** Which endpoint is `local_*` and what the other one is (FORMATS §3.3). */
export interface LocalOtherMap {
  readonly lowerIsLocal: boolean;
  readonly otherType: OtherType;
}

const maps = new Map<string, LocalOtherMap>();
function map(lowerIsLocal: boolean, otherType: OtherType): LocalOtherMap {
  const key = `${lowerIsLocal}/${otherType}`;
  let value = maps.get(key);
  if (!value) {
    value = Object.freeze({ lowerIsLocal, otherType });
    maps.set(key, value);
  }
  return value;
}

const LOWER = true;
const UPPER = false;

/**
 * netifyd's GetLowerMap, first matching row wins. Two public addresses make the upper one
 * local (the `http_ipv6` sample); two private IPv6 addresses of different kinds are `unknown`.
 */
export function mapLocalOther(lower: AddressClass, upper: AddressClass, ipVersion: 4 | 6): LocalOtherMap {
  if (lower === 'error' || upper === 'error') return map(LOWER, 'error');
  if (lower === 'local' && upper === 'local') return map(LOWER, 'local');
  if (lower === 'multicast') return map(UPPER, 'multicast');
  if (upper === 'multicast') return map(LOWER, 'multicast');
  if (lower === 'broadcast') return map(UPPER, 'broadcast');
  if (upper === 'broadcast') return map(LOWER, 'broadcast');
  if (ipVersion === 4 && lower === 'reserved' && upper === 'reserved') return map(LOWER, 'local');
  if (lower === 'reserved' && upper === 'local') return map(UPPER, 'remote');
  if (lower === 'local' && upper === 'reserved') return map(LOWER, 'remote');
  if (lower === 'other') return map(UPPER, 'remote');
  if (upper === 'other') return map(LOWER, 'remote');
  return map(LOWER, 'unknown');
}

/** `local_origin`: the originator (fixed at the first packet) is the local side. */
export function isLocalOrigin(originLower: boolean, lowerIsLocal: boolean): boolean {
  return originLower === lowerIsLocal;
}
