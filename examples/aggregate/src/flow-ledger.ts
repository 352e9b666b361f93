import { AgentLedger } from './agent-ledger.js';
import type { AgentSummary, DeliveryKind } from './agent-ledger.js';
import type { DecodedMessage } from './message-decoder.js';

/** Recent unique payloads remembered per agent for duplicate detection. */
export const DEFAULT_DEDUP_WINDOW = 65_536;

/** Deliveries of every agent, kept apart per agent uuid. */
export class FlowLedger {
  private readonly ledgers = new Map<string, AgentLedger>();

  constructor(private readonly dedupWindow = DEFAULT_DEDUP_WINDOW) {}

  record(agent: string, payload: Buffer): { kind: DeliveryKind; message?: DecodedMessage } {
    let ledger = this.ledgers.get(agent);
    if (!ledger) {
      ledger = new AgentLedger(agent, this.dedupWindow);
      this.ledgers.set(agent, ledger);
    }
    return ledger.record(payload);
  }

  /** Agent uuids in the order they first delivered. */
  agents(): string[] {
    return [...this.ledgers.keys()];
  }

  agent(uuid: string): AgentLedger | undefined {
    return this.ledgers.get(uuid);
  }

  /** One summary per agent, by agent uuid. */
  summaries(): AgentSummary[] {
    return [...this.ledgers.values()].map((ledger) => ledger.summary()).sort((a, b) => (a.agent < b.agent ? -1 : 1));
  }
}
