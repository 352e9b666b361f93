// Runs the real engine over one capture file and collects what it delivers.
import { Engine, type DnsAnswerRecord, type EngineOptions, type EngineRecord, type FlowRecord, type TickRecord } from '../../src/index.js';

export interface EngineRun {
  records: EngineRecord[];
  /** Every record of each flow, in delivery order. */
  byFlow: Map<number, FlowRecord[]>;
  /** The last record (the expire) of each flow. */
  finals: FlowRecord[];
  ticks: TickRecord[];
  dnsAnswers: DnsAnswerRecord[];
  /** Records per delivered batch. */
  batchSizes: number[];
  counters: ReturnType<Engine['counters']>;
}

export async function runCapture(path: string, options: EngineOptions = {}, filter?: string): Promise<EngineRun> {
  const engine = new Engine(options);
  const records: EngineRecord[] = [];
  const batchSizes: number[] = [];
  try {
    engine.addFileSource({ name: 'capture', path, ...(filter ? { filter } : {}) });
    engine.start((batch) => {
      batchSizes.push(batch.length);
      for (const r of batch) records.push(r);
    });
    await engine.whenDone();
    const counters = engine.counters();
    const byFlow = new Map<number, FlowRecord[]>();
    const ticks: TickRecord[] = [];
    const dnsAnswers: DnsAnswerRecord[] = [];
    for (const r of records) {
      if (r.kind === 'tick') ticks.push(r);
      else if (r.kind === 'dns_answer') dnsAnswers.push(r);
      else if (r.kind !== 'source_end') {
        const list = byFlow.get(r.flowId) ?? [];
        list.push(r);
        byFlow.set(r.flowId, list);
      }
    }
    const finals = [...byFlow.values()].map((list) => list[list.length - 1] as FlowRecord);
    return { records, byFlow, finals, ticks, dnsAnswers, batchSizes, counters };
  } finally {
    await engine.close();
  }
}

/** Checks the per-flow record order of the contract; returns the problems found. */
export function recordOrderProblems(run: EngineRun): string[] {
  const problems: string[] = [];
  for (const [id, list] of run.byFlow) {
    const kinds = list.map((r) => r.kind);
    const ok =
      kinds[0] === 'new' &&
      kinds.filter((k) => k === 'new').length === 1 &&
      kinds.filter((k) => k === 'dpi_complete').length === 1 &&
      kinds.filter((k) => k === 'expire').length === 1 &&
      kinds[kinds.length - 1] === 'expire' &&
      kinds[kinds.length - 2] === 'dpi_complete' &&
      kinds.slice(1, -2).every((k) => k === 'dpi_update');
    if (!ok) problems.push(`flow ${id}: ${kinds.join(' ')}`);
  }
  return problems;
}
