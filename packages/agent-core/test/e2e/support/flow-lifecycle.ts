type Message = Record<string, unknown>;
type FlowObject = Record<string, any>;

/** One flow from its `flow` message to its `flow_purge`, as a consumer reassembles it. */
export interface FlowLifecycle {
  readonly interface: string;
  readonly digest: string;
  /** The metadata of its `flow` message. */
  readonly first: FlowObject;
  /** The metadata of its last `flow_dpi_complete`. */
  complete?: FlowObject;
  /** The purge message's flow (totals) and reason. */
  purge?: FlowObject;
  reason?: string;
  /** Sums of the interval counters over its `flow_stats` and `flow_purge`. */
  localBytes: number;
  localPackets: number;
  otherBytes: number;
  otherPackets: number;
  /** Detection cycles: 1, plus one per DNS re-detection (FORMATS §6.2). */
  cycles: number;
  stage: 'new' | 'updated' | 'complete' | 'purged';
}

const FLOW_TYPES = new Set(['flow', 'flow_dpi_update', 'flow_dpi_complete', 'flow_stats', 'flow_purge']);
const DNS_PORTS = new Set([53, 5353, 5355]);

function isDnsFlow(flow: FlowObject): boolean {
  return flow.ip_protocol === 17 && (DNS_PORTS.has(flow.local_port) || DNS_PORTS.has(flow.other_port));
}

/**
 * Replays the flow messages of one channel in order and checks the per-flow event order
 * (FORMATS §1.2, §6): per digest and interface, `flow` first, `flow_dpi_update`s, exactly one
 * `flow_dpi_complete`, then exactly one `flow_purge`; `flow_stats` only between `flow` and
 * the purge; the interval counters of stats and purge add up to the purge's totals. A
 * digest may start again after its purge (the 5-tuple reused), and a DNS flow may restart
 * detection after completion (§6.2), resetting its counters.
 */
export function replayFlows(messages: readonly Message[]): { flows: FlowLifecycle[]; problems: string[] } {
  const active = new Map<string, FlowLifecycle>();
  const done: FlowLifecycle[] = [];
  const problems: string[] = [];
  for (const [index, message] of messages.entries()) {
    const type = message.type as string;
    if (!FLOW_TYPES.has(type)) continue;
    const flow = message.flow as FlowObject;
    const key = `${String(message.interface)}/${String(flow?.digest)}`;
    if (typeof flow?.digest !== 'string' || !/^[0-9a-f]{40}$/.test(flow.digest)) {
      problems.push(`#${index} ${type}: bad digest ${JSON.stringify(flow?.digest)}`);
      continue;
    }
    const current = active.get(key);
    const wrong = (why: string) => problems.push(`#${index} ${type} for ${key}: ${why}`);
    switch (type) {
      case 'flow':
        if (!current) {
          active.set(key, { interface: String(message.interface), digest: flow.digest, first: flow, localBytes: 0, localPackets: 0, otherBytes: 0, otherPackets: 0, cycles: 1, stage: 'new' });
        } else if (current.stage === 'complete' && isDnsFlow(flow)) {
          current.cycles++;
          current.stage = 'new';
          Object.assign(current, { localBytes: 0, localPackets: 0, otherBytes: 0, otherPackets: 0 });
        } else wrong(`a second flow message (stage ${current.stage})`);
        break;
      case 'flow_dpi_update':
        if (current?.stage === 'new' || current?.stage === 'updated') current.stage = 'updated';
        else wrong(`after ${current?.stage ?? 'nothing'}`);
        break;
      case 'flow_dpi_complete':
        if (current?.stage === 'new' || current?.stage === 'updated') {
          current.stage = 'complete';
          current.complete = flow;
        } else wrong(`after ${current?.stage ?? 'nothing'}`);
        break;
      case 'flow_stats':
      case 'flow_purge': {
        if (!current) {
          wrong('for a flow without a flow message');
          break;
        }
        current.localBytes += flow.local_bytes;
        current.localPackets += flow.local_packets;
        current.otherBytes += flow.other_bytes;
        current.otherPackets += flow.other_packets;
        if (type === 'flow_stats') break;
        if (current.stage !== 'complete') wrong(`purged before flow_dpi_complete (stage ${current.stage})`);
        if (current.localBytes + current.otherBytes !== flow.total_bytes || current.localPackets + current.otherPackets !== flow.total_packets) {
          wrong(
            `interval counters add up to ${current.localPackets + current.otherPackets} packets/${current.localBytes + current.otherBytes} bytes, totals say ${flow.total_packets}/${flow.total_bytes}`,
          );
        }
        current.purge = flow;
        current.reason = message.reason as string;
        current.stage = 'purged';
        active.delete(key);
        done.push(current);
        break;
      }
    }
  }
  for (const [key, flow] of active) problems.push(`${key}: never purged (stage ${flow.stage})`);
  return { flows: done, problems: problems.slice(0, 20) };
}
