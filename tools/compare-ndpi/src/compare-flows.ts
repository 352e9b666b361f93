import type { EngineFlow } from './engine-flow.js';
import { flowKey, flowKeys, formatTuple, sameEndpoint, type FlowTuple } from './flow-key.js';
import type { ExpectedFlow } from './ndpi-reader-output.js';

export type MismatchField = 'missing' | 'extra' | 'protocol' | 'hostname' | 'ja3' | 'packets' | 'bytes';

export interface Mismatch {
  capture: string;
  /** ndpiReader's spelling of the flow, e.g. `TCP 192.168.1.13:55744 <-> 140.82.114.4:443`. */
  tuple: string;
  field: MismatchField;
  expected: string;
  got: string;
}

export interface Tally {
  agree: number;
  compared: number;
}

export interface CaptureComparison {
  capture: string;
  expectedFlows: number;
  engineFlows: number;
  /** Expected flows with an engine flow of the same 5-tuple and VLAN. */
  found: number;
  /** Engine flows no expected flow claimed. */
  extra: number;
  /** Same `protocolName` (master.app name); over all expected flows, a missing flow disagrees. */
  protocol: Tally;
  /** Same nDPI ids (master.app, order-insensitive to a lone id); over all expected flows. */
  protocolIds: Tally;
  /** Same host name / SNI; over expected flows where either side has one. */
  hostname: Tally;
  /** Same JA3C and JA3S; over expected flows where either side has one. */
  ja3: Tally;
  /** Same packets per direction; over all expected flows. */
  packets: Tally;
  /** Same bytes per direction; over all expected flows. */
  bytes: Tally;
  mismatches: Mismatch[];
  /** Set when the capture could not be compared at all (engine or file error). */
  error?: string;
  /** The engine's end-of-source error (e.g. a truncated file); its flows are still compared. */
  sourceError?: string;
}

interface Directed {
  forward: { packets: number; bytes: number };
  reverse: { packets: number; bytes: number };
}

function expectedTuple(flow: ExpectedFlow): FlowTuple {
  return { ipProtocol: flow.ipProtocol, vlanId: flow.vlanId, a: flow.src, b: flow.dst };
}

function engineTuple(flow: EngineFlow): FlowTuple {
  return {
    ipProtocol: flow.ipProtocol,
    vlanId: flow.vlanId,
    a: { ip: flow.lowerIp, port: flow.lowerPort },
    b: { ip: flow.upperIp, port: flow.upperPort },
  };
}

/** The engine's counters in the expected flow's src→dst orientation (both, if src equals dst). */
function orientedCounts(expected: ExpectedFlow, got: EngineFlow): Directed[] {
  const lower = { packets: got.lowerPackets, bytes: got.lowerBytes };
  const upper = { packets: got.upperPackets, bytes: got.upperBytes };
  const options: Directed[] = [];
  if (sameEndpoint(expected.src, { ip: got.lowerIp, port: got.lowerPort })) options.push({ forward: lower, reverse: upper });
  if (sameEndpoint(expected.src, { ip: got.upperIp, port: got.upperPort })) options.push({ forward: upper, reverse: lower });
  return options;
}

/** A lone id, or `master.app` when both are known and differ. */
export function canonicalProtocolIds(master: number, app: number): string {
  if (master === 0 || master === app) return String(app);
  if (app === 0) return String(master);
  return `${master}.${app}`;
}

function describeExpectedProtocol(flow: ExpectedFlow): string {
  return `${canonicalProtocolIds(flow.ndpiMaster, flow.ndpiApp)}/${flow.protocolName} (${flow.confidence || 'no confidence'})`;
}

function describeEngineProtocol(flow: EngineFlow): string {
  const guessed = flow.guessed ? ', guessed' : '';
  return `${canonicalProtocolIds(flow.ndpiMaster, flow.ndpiApp)}/${flow.protocolName} (${flow.confidence}${guessed})`;
}

/**
 * Takes, from the unclaimed engine flows with the expected flow's key(s), the one closest in
 * packets (then protocol) to the expected flow.
 */
function claimClosest(expected: ExpectedFlow, unclaimed: Map<string, EngineFlow[]>): EngineFlow | undefined {
  const expectedPackets = expected.srcToDstPackets + expected.dstToSrcPackets;
  let best: { group: EngineFlow[]; index: number } | undefined;
  let bestCost = Infinity;
  for (const key of flowKeys(expectedTuple(expected))) {
    const group = unclaimed.get(key) ?? [];
    group.forEach((candidate, index) => {
      const packets = candidate.lowerPackets + candidate.upperPackets;
      const cost = Math.abs(packets - expectedPackets) + (candidate.protocolName === expected.protocolName ? 0 : 0.5);
      if (cost < bestCost) {
        best = { group, index };
        bestCost = cost;
      }
    });
  }
  return best && best.group.splice(best.index, 1)[0];
}

function groupByKey(flows: EngineFlow[]): Map<string, EngineFlow[]> {
  const groups = new Map<string, EngineFlow[]>();
  for (const flow of flows) {
    const key = flowKey(engineTuple(flow));
    const group = groups.get(key);
    if (group) group.push(flow);
    else groups.set(key, [flow]);
  }
  return groups;
}

export function emptyComparison(capture: string, expectedFlows: number, error?: string): CaptureComparison {
  const tally = (): Tally => ({ agree: 0, compared: 0 });
  return {
    capture,
    expectedFlows,
    engineFlows: 0,
    found: 0,
    extra: 0,
    protocol: tally(),
    protocolIds: tally(),
    hostname: tally(),
    ja3: tally(),
    packets: tally(),
    bytes: tally(),
    mismatches: [],
    ...(error === undefined ? {} : { error }),
  };
}

/** Matches engine flows to ndpiReader's by unordered 5-tuple + VLAN and tallies agreement. */
export function compareFlows(capture: string, expected: ExpectedFlow[], engine: EngineFlow[]): CaptureComparison {
  const result = emptyComparison(capture, expected.length);
  result.engineFlows = engine.length;
  const unclaimed = groupByKey(engine);
  const mismatch = (tuple: string, field: MismatchField, want: string, got: string): void => {
    result.mismatches.push({ capture, tuple, field, expected: want, got });
  };
  const count = (tally: Tally, agree: boolean): void => {
    tally.compared++;
    if (agree) tally.agree++;
  };

  for (const flow of expected) {
    const tuple = formatTuple(expectedTuple(flow), flow.bidirectional ? '<->' : '->');
    const got = claimClosest(flow, unclaimed);
    if (flow.hostName !== '' || (got && got.hostName !== '')) count(result.hostname, got !== undefined && sameHost(got, flow.hostName));
    const ja3 = expectedJa3(flow);
    if (ja3 !== ',' || (got && engineJa3(got) !== ',')) count(result.ja3, got !== undefined && engineJa3(got) === ja3);
    if (!got) {
      for (const tally of [result.protocol, result.protocolIds, result.packets, result.bytes]) count(tally, false);
      mismatch(tuple, 'missing', describeExpectedProtocol(flow), 'no engine flow');
      continue;
    }
    result.found++;
    const protocolAgrees = got.protocolName === flow.protocolName;
    count(result.protocol, protocolAgrees);
    count(result.protocolIds, canonicalProtocolIds(got.ndpiMaster, got.ndpiApp) === canonicalProtocolIds(flow.ndpiMaster, flow.ndpiApp));
    if (!protocolAgrees) mismatch(tuple, 'protocol', describeExpectedProtocol(flow), describeEngineProtocol(got));
    if ((flow.hostName !== '' || got.hostName !== '') && !sameHost(got, flow.hostName)) {
      mismatch(tuple, 'hostname', `'${flow.hostName}'`, `'${got.hostName}'`);
    }
    if ((ja3 !== ',' || engineJa3(got) !== ',') && engineJa3(got) !== ja3) mismatch(tuple, 'ja3', ja3, engineJa3(got));
    const oriented = orientedCounts(flow, got);
    const packetsAgree = oriented.some((o) => o.forward.packets === flow.srcToDstPackets && o.reverse.packets === flow.dstToSrcPackets);
    const bytesAgree = oriented.some((o) => o.forward.bytes === flow.srcToDstBytes && o.reverse.bytes === flow.dstToSrcBytes);
    count(result.packets, packetsAgree);
    count(result.bytes, bytesAgree);
    if (!packetsAgree || !bytesAgree) {
      const shown = oriented[0] ?? { forward: { packets: got.lowerPackets, bytes: got.lowerBytes }, reverse: { packets: got.upperPackets, bytes: got.upperBytes } };
      mismatch(
        tuple,
        packetsAgree ? 'bytes' : 'packets',
        `${flow.srcToDstPackets} pkts/${flow.srcToDstBytes} bytes <-> ${flow.dstToSrcPackets} pkts/${flow.dstToSrcBytes} bytes`,
        `${shown.forward.packets} pkts/${shown.forward.bytes} bytes <-> ${shown.reverse.packets} pkts/${shown.reverse.bytes} bytes`,
      );
    }
  }

  for (const leftovers of unclaimed.values()) {
    for (const got of leftovers) {
      result.extra++;
      const packets = `${got.lowerPackets} <-> ${got.upperPackets} pkts`;
      mismatch(formatTuple(engineTuple(got)), 'extra', 'no ndpiReader flow', `${describeEngineProtocol(got)}, ${packets}`);
    }
  }
  return result;
}

/**
 * `JA3C,JA3S` as ndpiReader printed them (`[JA3C: ...]`, `[JA3S: ... (WEAK)]`: the hash
 * without its cipher note), ',' when neither.
 */
function expectedJa3(flow: ExpectedFlow): string {
  const hash = (field: string | undefined): string => field?.split(' ')[0] ?? '';
  return `${hash(flow.metadata.JA3C)},${hash(flow.metadata.JA3S)}`;
}

function engineJa3(flow: EngineFlow): string {
  return `${flow.ja3c},${flow.ja3s}`;
}

/** The engine's host name, or for SSH either banner, is what ndpiReader printed. */
function sameHost(got: EngineFlow, expected: string): boolean {
  return got.hostName === expected || (got.sshBanners?.includes(expected) ?? false);
}
