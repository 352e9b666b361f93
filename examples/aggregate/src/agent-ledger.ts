import { createHash } from 'node:crypto';
import { decodeMessage } from './message-decoder.js';
import type { DecodedMessage } from './message-decoder.js';
import { RecentSet } from './recent-set.js';

/** How one delivery was counted. */
export type DeliveryKind = 'unique' | 'duplicate' | 'undecodable';

/** Everything one agent sent about one flow digest. */
export interface FlowTally {
  readonly digest: string;
  /** `flow` messages: one per lifetime (a tuple seen again after its purge keeps its digest). */
  flows: number;
  updates: number;
  dpiComplete: number;
  purges: number;
  /** Its latest `flow` arrived and the matching `flow_purge` not yet. */
  open: boolean;
}

/** A flow message that arrived outside its flow's lifetime (e.g. a purge before the flow). */
export interface OrderViolation {
  readonly digest: string;
  readonly type: string;
  /** Position of the delivery among the agent's deliveries (0-based). */
  readonly sequence: number;
}

export interface AgentSummary {
  readonly agent: string;
  /** Every delivery, duplicates included. */
  readonly messages: number;
  readonly unique: number;
  /** Deliveries whose bytes this agent had already delivered (QoS 1 redelivery). */
  readonly duplicates: number;
  /** Unique deliveries that are not a JSON netifyd message. */
  readonly undecodable: number;
  /** Unique messages per `type`. */
  readonly types: Readonly<Record<string, number>>;
  /** Distinct flow digests. */
  readonly flows: number;
  /** Unique `flow` messages (flow lifetimes) and unique `flow_purge` messages. */
  readonly lifetimes: number;
  readonly purged: number;
  /** Digests whose latest lifetime has no `flow_purge` yet. */
  readonly open: number;
  readonly orderViolations: number;
}

const MAX_KEPT_VIOLATIONS = 100;
const FLOW_LIFETIME_TYPES = new Set(['flow', 'flow_dpi_update', 'flow_dpi_complete', 'flow_purge']);

/**
 * One agent's deliveries. A delivery whose bytes equal a recent one of the same agent is a
 * duplicate (sink-mqtt republishes the very payload after a lost acknowledgement); the
 * rest are counted per type and per flow digest.
 */
export class AgentLedger {
  readonly flows = new Map<string, FlowTally>();
  readonly violations: OrderViolation[] = [];
  private readonly seen: RecentSet<string>;
  private readonly types = new Map<string, number>();
  private messages = 0;
  private duplicates = 0;
  private undecodable = 0;
  private violationCount = 0;

  /** `dedupWindow`: how many recent unique payloads are remembered to spot duplicates. */
  constructor(
    readonly agent: string,
    dedupWindow: number,
  ) {
    this.seen = new RecentSet(dedupWindow);
  }

  record(payload: Buffer): { kind: DeliveryKind; message?: DecodedMessage } {
    const sequence = this.messages++;
    const key = createHash('sha1').update(payload).digest('base64');
    if (this.seen.has(key)) {
      this.duplicates += 1;
      return { kind: 'duplicate' };
    }
    this.seen.add(key);
    const message = decodeMessage(payload);
    if (!message) {
      this.undecodable += 1;
      return { kind: 'undecodable' };
    }
    this.types.set(message.type, (this.types.get(message.type) ?? 0) + 1);
    if (message.digest !== undefined && FLOW_LIFETIME_TYPES.has(message.type)) this.countFlowMessage(message.type, message.digest, sequence);
    return { kind: 'unique', message };
  }

  /** Digests of which at least one `flow_purge` arrived. */
  purgedDigests(): Set<string> {
    return new Set([...this.flows.values()].filter((tally) => tally.purges > 0).map((tally) => tally.digest));
  }

  summary(): AgentSummary {
    const tallies = [...this.flows.values()];
    return {
      agent: this.agent,
      messages: this.messages,
      unique: this.messages - this.duplicates,
      duplicates: this.duplicates,
      undecodable: this.undecodable,
      types: Object.fromEntries([...this.types].sort(([a], [b]) => (a < b ? -1 : 1))),
      flows: tallies.length,
      lifetimes: this.types.get('flow') ?? 0,
      purged: this.types.get('flow_purge') ?? 0,
      open: tallies.filter((tally) => tally.open).length,
      orderViolations: this.violationCount,
    };
  }

  private countFlowMessage(type: string, digest: string, sequence: number): void {
    let tally = this.flows.get(digest);
    if (!tally) {
      tally = { digest, flows: 0, updates: 0, dpiComplete: 0, purges: 0, open: false };
      this.flows.set(digest, tally);
    }
    // A flow's messages come in one order: flow, updates, dpi_complete, purge; then maybe a new lifetime.
    const inOrder = type === 'flow' ? !tally.open : tally.open;
    if (!inOrder) this.noteViolation({ digest, type, sequence });
    switch (type) {
      case 'flow':
        tally.flows += 1;
        tally.open = true;
        break;
      case 'flow_dpi_update':
        tally.updates += 1;
        break;
      case 'flow_dpi_complete':
        tally.dpiComplete += 1;
        break;
      case 'flow_purge':
        tally.purges += 1;
        tally.open = false;
        break;
    }
  }

  private noteViolation(violation: OrderViolation): void {
    this.violationCount += 1;
    if (this.violations.length < MAX_KEPT_VIOLATIONS) this.violations.push(violation);
  }
}
