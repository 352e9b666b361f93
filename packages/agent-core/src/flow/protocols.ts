import type { Logger } from '@netifyd/plugin-sdk';
import { readDataFile, type NdpiIdsFile, type NdpiToNetifydFile, type NetifydProtocolsFile } from './data-files.js';

/** netifyd protocol ids the flow model needs by name. */
export const PROTO_UNKNOWN = 0;
export const PROTO_DHCP = 18;
export const PROTO_MDNS = 8;
export const PROTO_SSDP = 12;
export const PROTO_SSH = 92;
export const PROTO_BITTORRENT = 37;
export const PROTO_QUIC = 188;

const UNMAPPED = -1;

export interface ProtocolTableData {
  ndpiIds: NdpiIdsFile;
  mapping: NdpiToNetifydFile;
  names: NetifydProtocolsFile;
}

export function loadProtocolTableData(): ProtocolTableData {
  return {
    ndpiIds: readDataFile<NdpiIdsFile>('ndpi-ids.json'),
    mapping: readDataFile<NdpiToNetifydFile>('ndpi-to-netifyd.json'),
    names: readDataFile<NetifydProtocolsFile>('netifyd-protocols.json'),
  };
}

/**
 * nDPI protocol id → netifyd protocol id and name (FORMATS §9). The mapping facts are keyed
 * by nDPI symbol and resolved against the linked nDPI's symbol table once, at construction.
 * nDPI TLS first tries netifyd's port table (either port). A symbol without a netifyd id
 * maps to 0 and is logged once; nDPI's service entries (which netifyd disables) map to 0
 * silently, as they name applications, not protocols.
 */
export class ProtocolTable {
  readonly ndpiTls: number;
  readonly ndpiStun: number;
  private readonly byNdpiId: Int32Array;
  private readonly symbols: string[] = [];
  private readonly names = new Map<number, string>();
  private readonly tlsPorts: ReadonlyArray<readonly [number, number]>;
  private readonly reported = new Set<number>();
  private readonly ndpiVersion: string;

  constructor(
    private readonly logger?: Logger,
    data: ProtocolTableData = loadProtocolTableData(),
  ) {
    const { ndpiIds, mapping, names } = data;
    const maxId = Math.max(0, ...Object.values(ndpiIds.protocols));
    this.byNdpiId = new Int32Array(maxId + 1).fill(UNMAPPED);
    const services = new Set([...mapping.services, ...mapping.project_services]);
    for (const [symbol, ndpiId] of Object.entries(ndpiIds.protocols)) {
      this.symbols[ndpiId] = symbol;
      const known = mapping.protocols[mapping.ndpi_renames[symbol] ?? symbol] ?? mapping.project_protocols[symbol];
      if (known !== undefined) this.byNdpiId[ndpiId] = known;
      else if (services.has(symbol) || ndpiId === 0) this.byNdpiId[ndpiId] = PROTO_UNKNOWN;
    }
    for (const [id, name] of Object.entries(names.protocols)) this.names.set(Number(id), name);
    this.tlsPorts = mapping.tls_ports;
    this.ndpiTls = ndpiIds.protocols.NDPI_PROTOCOL_TLS ?? -1;
    this.ndpiStun = ndpiIds.protocols.NDPI_PROTOCOL_STUN ?? -1;
    this.ndpiVersion = ndpiIds.ndpi_version;
  }

  /** netifyd id for an nDPI id on a flow with these ports; 0 when there is none. */
  map(ndpiId: number, lowerPort: number, upperPort: number): number {
    if (ndpiId === 0) return PROTO_UNKNOWN;
    if (ndpiId === this.ndpiTls) {
      for (const [port, id] of this.tlsPorts) if (lowerPort === port || upperPort === port) return id;
    }
    const id = ndpiId < this.byNdpiId.length ? this.byNdpiId[ndpiId]! : UNMAPPED;
    if (id !== UNMAPPED) return id;
    this.reportUnmapped(ndpiId);
    return PROTO_UNKNOWN;
  }

  /** netifyd's name for a netifyd id; `Unknown` for ids it has no name for. */
  name(id: number): string {
    return this.names.get(id) ?? 'Unknown';
  }

  /** The nDPI symbol of an nDPI id, if the linked nDPI has one. */
  symbol(ndpiId: number): string | undefined {
    return this.symbols[ndpiId];
  }

  /** netifyd's table as `{id, tag}` pairs (for `definitions` and `--dump-protos`). */
  entries(): Array<{ id: number; tag: string }> {
    return [...this.names].map(([id, tag]) => ({ id, tag })).sort((a, b) => a.id - b.id);
  }

  private reportUnmapped(ndpiId: number): void {
    if (this.reported.has(ndpiId)) return;
    this.reported.add(ndpiId);
    const symbol = this.symbols[ndpiId];
    this.logger?.warn(
      symbol
        ? `nDPI protocol ${symbol} (id ${ndpiId}) has no netifyd protocol id; such flows report 0/Unknown`
        : `nDPI protocol id ${ndpiId} is not in nDPI ${this.ndpiVersion}'s table; such flows report 0/Unknown`,
    );
  }
}
