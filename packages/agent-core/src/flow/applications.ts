import { readDataFile, type ApplicationsFile, type NdpiIdsFile } from './data-files.js';

export interface Application {
  readonly id: number;
  readonly tag: string;
}

/**
 * The project's own table of the services nDPI names (data/applications.json), e.g.
 * `Github` in `TLS.Github` → `netify.github`; nDPI's app is tried first, then its master.
 * With application definitions loaded, the tag is looked up in them as the last detection
 * step (src/apps); without, these ids are used directly.
 */
export class ApplicationTable {
  private readonly byNdpiId: Array<Application | undefined> = [];
  private readonly all: Application[];

  constructor(
    ndpiIds: NdpiIdsFile = readDataFile<NdpiIdsFile>('ndpi-ids.json'),
    file: ApplicationsFile = readDataFile<ApplicationsFile>('applications.json'),
  ) {
    this.all = file.applications.map(({ id, tag }) => Object.freeze({ id, tag }));
    file.applications.forEach((entry, index) => {
      for (const symbol of entry.ndpi) {
        const ndpiId = ndpiIds.protocols[symbol];
        if (ndpiId !== undefined) this.byNdpiId[ndpiId] = this.all[index];
      }
    });
  }

  /** The application nDPI names for this (app, master) pair, if the table has one. */
  lookup(ndpiApp: number, ndpiMaster: number): Application | undefined {
    return (ndpiApp !== 0 ? this.byNdpiId[ndpiApp] : undefined) ?? (ndpiMaster !== 0 ? this.byNdpiId[ndpiMaster] : undefined);
  }

  /** Every application as `{id, tag}` (for `definitions` and `--dump-apps`). */
  entries(): Application[] {
    return [...this.all];
  }
}
