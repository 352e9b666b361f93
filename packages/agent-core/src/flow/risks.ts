import type { Logger } from '@netifyd/plugin-sdk';
import { readDataFile, type NdpiIdsFile, type NdpiToNetifydFile } from './data-files.js';

const UNMAPPED = -1;

/**
 * nDPI risk ids (ndpi_risk_enum of the linked nDPI) → netifyd risk ids, by symbol
 * (FORMATS §9). Risks without a netifyd id are dropped (logged once each).
 */
export class RiskTable {
  private readonly byNdpiId: Int32Array;
  private readonly symbols: string[] = [];
  private readonly reported = new Set<number>();

  constructor(
    private readonly logger?: Logger,
    ndpiIds: NdpiIdsFile = readDataFile<NdpiIdsFile>('ndpi-ids.json'),
    mapping: NdpiToNetifydFile = readDataFile<NdpiToNetifydFile>('ndpi-to-netifyd.json'),
  ) {
    const maxId = Math.max(0, ...Object.values(ndpiIds.risks));
    this.byNdpiId = new Int32Array(maxId + 1).fill(UNMAPPED);
    for (const [symbol, ndpiId] of Object.entries(ndpiIds.risks)) {
      this.symbols[ndpiId] = symbol;
      const id = mapping.risks[mapping.risk_renames[symbol] ?? symbol];
      if (id !== undefined) this.byNdpiId[ndpiId] = id;
    }
  }

  /** netifyd ids for a list of nDPI risk ids: ascending, no duplicates, no 0 (None). */
  map(ndpiRisks: readonly number[]): number[] {
    const ids: number[] = [];
    for (const ndpiId of ndpiRisks) {
      const id = ndpiId >= 0 && ndpiId < this.byNdpiId.length ? this.byNdpiId[ndpiId]! : UNMAPPED;
      if (id === UNMAPPED) this.reportUnmapped(ndpiId);
      else if (id !== 0 && !ids.includes(id)) ids.push(id);
    }
    return ids.length > 1 ? ids.sort((a, b) => a - b) : ids;
  }

  private reportUnmapped(ndpiId: number): void {
    if (this.reported.has(ndpiId)) return;
    this.reported.add(ndpiId);
    this.logger?.warn(`nDPI risk ${this.symbols[ndpiId] ?? `id ${ndpiId}`} has no netifyd risk id; dropped from risks`);
  }
}
