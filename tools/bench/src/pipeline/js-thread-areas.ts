/**
 * Where the agent's JS thread spends its time, by stage of the pipeline, from the V8 CPU
 * profile of one run (`node --cpu-prof`). Each sample's time goes to the innermost frame
 * of the project's own code on its stack (library code such as fflate or msgpackr counts
 * for the stage that called it); garbage collection is its own area; idle time is left out.
 */

/** The pipeline's stages as they show in the profile, in the order the report lists them. */
export const JS_AREAS = ['encode', 'flow model', 'ticks', 'status', 'gc', 'sink-log', 'record decoding', 'routing', 'other'] as const;
export type JsArea = (typeof JS_AREAS)[number];
export type JsAreaTimes = Record<JsArea, number>;

/** The parts of a `.cpuprofile` this reads (Chrome DevTools protocol `Profiler.Profile`). */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

/** Files of agent-core's flow model that build the per-tick messages. */
const TICK_FILES = /^flow\/(tick-assembler|packet-counters|endpoints|interval-stats|named-message)\.js$/;
/** proc-core's encoders (JSON, msgpack, gzip calls) as opposed to its routing. */
const ENCODE_FILES = /^(json-encoder|encode|byte-chunks|flow-envelope)\.js$/;
const PROJECT_FILE = /\/packages\/([^/]+)\/dist\/(.+)$/;
const STATUS_FILE = /\/packages\/agent-core\/dist\/status(-file)?\.js$/;

/** The area of one project frame (package and file under dist/). */
function areaOf(pkg: string, file: string): JsArea {
  switch (pkg) {
    case 'proc-core':
      return ENCODE_FILES.test(file) ? 'encode' : 'routing';
    case 'agent-core':
      if (TICK_FILES.test(file)) return 'ticks';
      if (file.startsWith('flow/') || file.startsWith('apps/')) return 'flow model';
      return 'other';
    case 'sink-log':
      return 'sink-log';
    case 'native-dpi':
      return 'record decoding';
    default:
      return 'other';
  }
}

/** Seconds of the JS thread per area (idle excluded), as the profile's samples saw them. */
export function jsThreadAreas(profile: CpuProfile): JsAreaTimes {
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuProfile['nodes'][number]>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const times = Object.fromEntries(JS_AREAS.map((area) => [area, 0])) as JsAreaTimes;
  for (const [id, us] of selfUs) {
    const area = sampleArea(id, byId, parent);
    if (area) times[area] += us / 1e6;
  }
  return times;
}

function sampleArea(id: number, byId: Map<number, CpuProfile['nodes'][number]>, parent: Map<number, number>): JsArea | undefined {
  const leaf = byId.get(id)?.callFrame.functionName;
  if (leaf === '(idle)') return undefined;
  if (leaf === '(garbage collector)') return 'gc';
  let area: JsArea | undefined;
  // Bounded by the tree's depth: each step goes to a parent, the root has none.
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)?.callFrame.url ?? '';
    // agent_status work counts as status whatever it calls (plugin stats, JSON of status.json).
    if (STATUS_FILE.test(url)) return 'status';
    const match = area === undefined ? PROJECT_FILE.exec(url) : null;
    if (match) area = areaOf(match[1]!, match[2]!);
  }
  return area ?? 'other';
}

/** The areas scaled so that they add up to the thread's CPU seconds (the profile samples wall time). */
export function scaledToCpu(times: JsAreaTimes, threadCpuS: number): JsAreaTimes {
  const total = JS_AREAS.reduce((sum, area) => sum + times[area], 0);
  const factor = total > 0 ? threadCpuS / total : 0;
  return Object.fromEntries(JS_AREAS.map((area) => [area, times[area] * factor])) as JsAreaTimes;
}
