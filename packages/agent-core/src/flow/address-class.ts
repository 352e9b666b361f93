import { ConfigError } from '../errors.js';
import { parseCidr, parseIp, parseMac } from './ip-address.js';
import { PrefixTable } from './prefix-table.js';

/** netifyd's address classes (FORMATS §3.2). */
export type AddressClass = 'error' | 'local' | 'reserved' | 'multicast' | 'broadcast' | 'other';

type TableClass = Exclude<AddressClass, 'error' | 'other'>;

/** netifyd's global table: private, loopback, link-local, ULA, multicast, link-local broadcast. */
const GLOBAL_NETWORKS: ReadonlyArray<[string, TableClass]> = [
  ['127.0.0.0/8', 'reserved'],
  ['10.0.0.0/8', 'reserved'],
  ['100.64.0.0/10', 'reserved'],
  ['172.16.0.0/12', 'reserved'],
  ['192.168.0.0/16', 'reserved'],
  ['::1/128', 'reserved'],
  ['fc00::/7', 'reserved'],
  ['fe80::/10', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['ff00::/8', 'multicast'],
  ['169.254.255.255', 'broadcast'],
];

/**
 * Classifies flow addresses. Interface networks (`-A`, `address[n]`, a live interface's
 * own addresses) are consulted for every flow whatever interface captured it, before the
 * global table. `-A` may also name a MAC address: such MACs never count as endpoints.
 */
export class AddressClassifier {
  private readonly global = new PrefixTable<TableClass>();
  private readonly interfaces = new PrefixTable<TableClass>();
  private readonly reservedMacs = new Set<string>();

  constructor() {
    for (const [network, type] of GLOBAL_NETWORKS) {
      const cidr = parseCidr(network);
      if (cidr) this.global.insert(cidr.bytes, cidr.prefix, type);
    }
  }

  /**
   * Adds a local network (`ADDR[/LEN]`) or a MAC address of an interface; `origin` names
   * where the value came from (e.g. `-A (interface eth0)`) for the error message.
   */
  addLocal(value: string, origin: string): void {
    const mac = parseMac(value);
    if (mac) {
      this.reservedMacs.add(value.toLowerCase());
      return;
    }
    const cidr = parseCidr(value.trim());
    if (!cidr) {
      throw new ConfigError('ERR_BAD_CIDR', `${origin}: "${value}" is not a network; expected ADDR[/LEN] (IPv4 or IPv6) or a MAC address`);
    }
    this.interfaces.insert(cidr.bytes, cidr.prefix, 'local');
  }

  /** Adds a broadcast address learned for an interface (classed BROADCAST). */
  addBroadcast(value: string, origin: string): void {
    const bytes = parseIp(value);
    if (!bytes) throw new ConfigError('ERR_BAD_CIDR', `${origin}: "${value}" is not an IP address`);
    this.interfaces.insert(bytes, bytes.length * 8, 'broadcast');
  }

  /** Class of an address given as bytes (`undefined` = unparsable → ERROR). */
  classify(bytes: Uint8Array | undefined): AddressClass {
    if (!bytes) return 'error';
    if (bytes.length === 4) {
      if ((bytes[0]! | bytes[1]! | bytes[2]! | bytes[3]!) === 0) return 'local';
      if ((bytes[0]! & bytes[1]! & bytes[2]! & bytes[3]!) === 0xff) return 'broadcast';
    }
    return this.interfaces.lookup(bytes) ?? this.global.lookup(bytes) ?? 'other';
  }

  /** True for a MAC given with `-A`/`address[n]`. */
  isReservedMac(mac: string): boolean {
    return this.reservedMacs.has(mac);
  }
}
