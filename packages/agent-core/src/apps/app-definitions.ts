import type { Application } from '../flow/applications.js';
import { CidrTrie } from './cidr-trie.js';
import type { DefinitionIssue, ParsedDefinitions, SoftDissectorRecord, TransformRecord } from './definitions-parser.js';
import { DomainIndex } from './domain-index.js';

/** Counts reported in `agent_status.signatures` (FORMATS §7.6). */
export interface SignatureCounts {
  apps: number;
  domains: number;
  networks: number;
  soft_dissectors: number;
  transforms: number;
}

/**
 * One loaded application-definitions file: applications by id and tag, domain suffixes,
 * networks (CIDR trie), domain transforms and the soft-dissector records. Immutable once
 * built; a reload builds a new one, so flows classified earlier keep theirs.
 */
export class AppDefinitions {
  readonly file: string;
  /** Lines rejected by the parser and by the cross-line checks here, in line order. */
  readonly issues: DefinitionIssue[];
  readonly softDissectors: readonly SoftDissectorRecord[];
  private readonly byIdMap = new Map<number, Application>();
  private readonly byTagMap = new Map<string, Application>();
  private readonly appList: Application[] = [];
  private readonly domains = new DomainIndex<Application>();
  private readonly networks = new CidrTrie();
  private readonly transforms: readonly TransformRecord[];

  constructor(parsed: ParsedDefinitions) {
    this.file = parsed.file;
    const issues = [...parsed.issues];
    const issue = (line: number, reason: string) => issues.push({ file: parsed.file, line, reason });
    const firstLine = new Map<number, number>();
    const tagLine = new Map<string, number>();
    for (const { id, tag, line } of parsed.apps) {
      if (this.byIdMap.has(id)) issue(line, `application id ${id} is already defined at line ${firstLine.get(id)}; first definition kept`);
      else if (this.byTagMap.has(tag)) issue(line, `tag "${tag}" is already used by application ${this.byTagMap.get(tag)!.id} (line ${tagLine.get(tag)})`);
      else {
        const app = Object.freeze({ id, tag });
        this.byIdMap.set(id, app);
        this.byTagMap.set(tag, app);
        this.appList.push(app);
        firstLine.set(id, line);
        tagLine.set(tag, line);
      }
    }
    this.appList.sort((a, b) => a.id - b.id);
    const indexOf = new Map(this.appList.map((app, index) => [app.id, index]));
    const domainLine = new Map<string, number>();
    for (const { appId, domain, line } of parsed.domains) {
      const app = this.byIdMap.get(appId);
      if (!app) issue(line, `domain ${domain}: application id ${appId} is not defined by an app: line`);
      else if (!this.domains.add(domain, app)) {
        issue(line, `domain ${domain} already belongs to application ${this.domains.get(domain)!.id} (line ${domainLine.get(domain)}); first entry kept`);
      } else domainLine.set(domain, line);
    }
    for (const { appId, network, text, line } of parsed.networks) {
      const index = indexOf.get(appId);
      if (index === undefined) issue(line, `network ${text}: application id ${appId} is not defined by an app: line`);
      else this.networks.insert(network.bytes, network.prefix, index);
    }
    this.transforms = parsed.transforms;
    this.softDissectors = parsed.softDissectors;
    this.issues = issues.sort((a, b) => a.line - b.line);
  }

  get counts(): SignatureCounts {
    return {
      apps: this.appList.length,
      domains: this.domains.size,
      networks: this.networks.size,
      soft_dissectors: this.softDissectors.length,
      transforms: this.transforms.length,
    };
  }

  /** Every application, by ascending id. */
  applications(): readonly Application[] {
    return this.appList;
  }

  byId(id: number): Application | undefined {
    return this.byIdMap.get(id);
  }

  byTag(tag: string): Application | undefined {
    return this.byTagMap.get(tag);
  }

  /**
   * The application of a host name (lowercase): with transforms, each transform's rewrite of
   * the name is a candidate (the name itself when the regex does not match), in file order;
   * each candidate is matched by label suffix, most specific first; the first hit wins.
   */
  findHost(name: string): Application | undefined {
    if (name === '') return undefined;
    const transforms = this.transforms;
    if (transforms.length === 0) return this.domains.match(name);
    let tried: string | undefined;
    for (const { pattern, replacement } of transforms) {
      pattern.lastIndex = 0;
      const matches = pattern.test(name);
      pattern.lastIndex = 0;
      const candidate = matches ? name.replace(pattern, replacement) : name;
      if (candidate === tried) continue;
      const app = this.domains.match(candidate);
      if (app) return app;
      tried = candidate;
    }
    return undefined;
  }

  /** The application of the longest network containing the address (4 or 16 bytes). */
  findAddress(bytes: Uint8Array): Application | undefined {
    const index = this.networks.lookup(bytes);
    return index < 0 ? undefined : this.appList[index];
  }
}
