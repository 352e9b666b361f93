// The parts of @netifyd/agent-core's application detection the apps bench drives, loaded from
// agent-core's build output at run time (the package exports only its public API, and the
// bench must not need agent-core built to type-check).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../paths.js';

export interface Application {
  readonly id: number;
  readonly tag: string;
}

export interface Definitions {
  readonly counts: { apps: number; domains: number; networks: number; transforms: number };
  readonly issues: readonly unknown[];
  findHost(name: string): Application | undefined;
  findAddress(bytes: Uint8Array): Application | undefined;
}

export interface FlowRecordLike {
  readonly kind: string;
  readonly lowerIp: string;
  readonly upperIp: string;
  readonly lastSeenMs: number;
  readonly [field: string]: unknown;
}

export interface FlowAppsLike {
  readonly dhcHit: boolean;
}

export interface DetectorState {
  protocol: number;
  application: Application | undefined;
  apps: FlowAppsLike | undefined;
}

export interface Detector {
  begin(lower: Uint8Array | undefined, upper: Uint8Array | undefined, lowerIsOther: boolean, upperIsOther: boolean): FlowAppsLike;
  classify(state: DetectorState, record: FlowRecordLike): void;
}

export interface FlowEventLike {
  readonly type: string;
  readonly flow?: {
    readonly digest: string;
    readonly detected_protocol: number;
    readonly detected_application: number;
    readonly detected_application_name: string;
    readonly dhc_hit: boolean;
    readonly other_type: string;
  };
}

export interface AgentCoreApps {
  readonly PACKAGED_APPS_FILE: string;
  readonly PACKAGED_CATEGORIES_FILE: string;
  readDefinitions(file: string): Definitions;
  parseDefinitions(text: string, file: string): unknown;
  AppDefinitions: new (parsed: unknown) => Definitions;
  readCategories(file: string): unknown;
  AppRules: new (snapshot: { definitions: Definitions; categories: unknown; domainCategories: undefined }) => unknown;
  DnsHintCache: new (options: { ttlS: number; maxEntries: number }) => { learn(host: string, bytes: Uint8Array, nowMs: number): void };
  ApplicationDetector: new (rules: unknown, hints: unknown) => Detector;
  FlowModel: new (options: Record<string, unknown>) => { onRecords(records: readonly unknown[]): FlowEventLike[] };
  parseIp(text: string): Uint8Array | undefined;
}

const DIST = join(repoRoot, 'packages/agent-core/dist');

async function load(path: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(join(DIST, path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load agent-core's ${path} (build it: npx tsc -p packages/agent-core/tsconfig.build.json): ${(error as Error).message}`);
  }
}

/** agent-core's application modules from its dist/ directory. */
export async function loadAgentCoreApps(): Promise<AgentCoreApps> {
  const modules = await Promise.all(
    ['apps/load-app-rules.js', 'apps/definitions-parser.js', 'apps/app-definitions.js', 'apps/app-rules.js', 'apps/dns-hint-cache.js', 'apps/application-detector.js', 'flow/flow-model.js', 'flow/ip-address.js'].map(load),
  );
  return Object.assign({}, ...modules) as AgentCoreApps;
}
