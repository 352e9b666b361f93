import type { FlowSource, InterfaceInfo, InterfacesMessage, Logger } from '@netifyd/plugin-sdk';
import { AddressClassifier } from './address-class.js';
import { namedMessage } from './named-message.js';

/** One capture source of the engine as the agent configured it. */
export interface FlowSourceConfig {
  /** The id `Engine.addFileSource`/`addLiveSource` returned. */
  readonly source: number;
  /** Interface name; `offline<N>` for a capture file unless named. */
  readonly name: string;
  /** `-I`/`role = LAN` → `lan`, `-E`/`role = WAN` → `wan`. */
  readonly role: 'lan' | 'wan';
  readonly captureType?: 'pcap' | 'tpv3' | 'nfqueue';
  /** Path of the capture file, for capture-file sources. */
  readonly captureFile?: string;
  /** The interface's link-layer address (live), if known. */
  readonly mac?: string;
  /** The interface's own IP addresses (live), if known; reported in `interfaces`. */
  readonly addresses?: readonly string[];
  /** `-A`/`address[n]` values: networks `ADDR[/LEN]` (or MACs) that are local. */
  readonly localNetworks?: readonly string[];
  /** Broadcast addresses of the interface (live), classed BROADCAST. */
  readonly broadcastAddresses?: readonly string[];
}

const NO_MAC = '00:00:00:00:00:00';

/**
 * The configured sources: envelope fields per engine source id, the address classifier fed
 * with every source's local networks (netifyd consults all of them for every flow) and the
 * `interfaces` message (FORMATS §7.3 with the v5 schema's lowercase enums).
 */
export class FlowSources {
  readonly classifier = new AddressClassifier();
  private readonly byId = new Map<number, FlowSource>();
  private readonly configs: readonly FlowSourceConfig[];
  private readonly reported = new Set<number>();
  private readonly uniqueNames: readonly string[];

  constructor(configs: readonly FlowSourceConfig[], private readonly logger?: Logger) {
    this.configs = configs;
    this.uniqueNames = [...new Set(configs.map((config) => config.name))];
    for (const config of configs) {
      this.byId.set(config.source, Object.freeze({ interface: config.name, internal: config.role === 'lan' }));
      for (const value of config.localNetworks ?? []) this.classifier.addLocal(value, `-A of ${config.name}`);
      for (const value of config.broadcastAddresses ?? []) this.classifier.addBroadcast(value, `broadcast address of ${config.name}`);
    }
  }

  /** Envelope fields of a source; an id the agent never configured is logged once. */
  envelope(source: number): FlowSource {
    const known = this.byId.get(source);
    if (known) return known;
    if (!this.reported.has(source)) {
      this.reported.add(source);
      this.logger?.warn(`engine source ${source} was not configured; its flows are reported on interface source${source}`);
    }
    const fallback = Object.freeze({ interface: `source${source}`, internal: true });
    this.byId.set(source, fallback);
    return fallback;
  }

  /** Interface names in configuration order (unique). */
  names(): readonly string[] {
    return this.uniqueNames;
  }

  /** Built for each tick (a processor may keep or change what it was given); keys in byte order. */
  interfacesMessage(): InterfacesMessage {
    const byName = new Map<string, InterfaceInfo>();
    for (const config of this.configs) {
      const info = {} as InterfaceInfo;
      if (config.addresses && config.addresses.length > 0) info.addr = [...config.addresses];
      if (config.captureFile !== undefined) info.capture_file = config.captureFile;
      info.capture_type = config.captureType ?? 'pcap';
      info.mac = config.mac?.toLowerCase() ?? NO_MAC;
      info.role = config.role;
      byName.set(config.name, info);
    }
    return namedMessage<InterfacesMessage>('interfaces', byName);
  }
}
