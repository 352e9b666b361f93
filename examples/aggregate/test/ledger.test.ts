import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AgentLedger, AgentTopic, CollectorError, FlowLedger, decodeMessage, formatReport } from '../src/index.js';

const message = (type: string, digest?: string, extra: Record<string, unknown> = {}): Buffer =>
  Buffer.from(JSON.stringify(digest === undefined ? { type, ...extra } : { type, flow: { digest, ...extra } }));

describe('AgentTopic', () => {
  it('takes the agent uuid from the "+" level', () => {
    const topic = new AgentTopic('netify/+/flows');
    expect(topic.agentOf('netify/AG-01/flows')).toBe('AG-01');
    expect(topic.agentOf('netify/AG-01/stats')).toBeUndefined();
    expect(topic.agentOf('netify/AG-01/flows/extra')).toBeUndefined();
    expect(topic.agentOf('netify//flows')).toBeUndefined();
    expect(new AgentTopic('site/a/+').agentOf('site/a/AG-02')).toBe('AG-02');
  });

  it.each(['netify/#', 'netify/+/+', 'netify/flows', 'netify/a+/flows'])('refuses "%s" with ERR_COLLECTOR_TOPIC naming it', (filter) => {
    expect(() => new AgentTopic(filter)).toThrow(CollectorError);
    expect(() => new AgentTopic(filter)).toThrow(`(got "${filter}")`);
    try {
      new AgentTopic(filter);
    } catch (error) {
      expect((error as CollectorError).code).toBe('ERR_COLLECTOR_TOPIC');
    }
  });
});

describe('decodeMessage', () => {
  it('reads JSON and gzipped JSON; anything else is undecodable', () => {
    expect(decodeMessage(message('flow_purge', 'd1'))).toEqual({ type: 'flow_purge', digest: 'd1' });
    expect(decodeMessage(gzipSync(message('flow', 'd2')))).toEqual({ type: 'flow', digest: 'd2' });
    expect(decodeMessage(message('agent_hello'))).toEqual({ type: 'agent_hello' });
    expect(decodeMessage(Buffer.from([0x82, 0xa4, 0x74]))).toBeUndefined(); // msgpack
    expect(decodeMessage(Buffer.from('[1,2]'))).toBeUndefined();
    expect(decodeMessage(Buffer.from('{"flow":{}}'))).toBeUndefined();
  });
});

describe('AgentLedger', () => {
  it('counts a byte-identical redelivery as a duplicate, not as a second flow message', () => {
    const ledger = new AgentLedger('AG-01', 100);
    expect(ledger.record(message('flow', 'd1')).kind).toBe('unique');
    expect(ledger.record(message('flow', 'd1')).kind).toBe('duplicate');
    expect(ledger.record(message('flow_dpi_complete', 'd1')).kind).toBe('unique');
    expect(ledger.record(message('flow_purge', 'd1', { last_seen_at: 5 })).kind).toBe('unique');
    expect(ledger.record(message('flow_purge', 'd1', { last_seen_at: 5 })).kind).toBe('duplicate');
    expect(ledger.summary()).toMatchObject({ messages: 5, unique: 3, duplicates: 2, flows: 1, lifetimes: 1, purged: 1, open: 0, orderViolations: 0 });
    expect(ledger.flows.get('d1')).toMatchObject({ flows: 1, dpiComplete: 1, purges: 1, open: false });
  });

  it('keeps successive lifetimes of one digest apart (a tuple seen again after its purge)', () => {
    const ledger = new AgentLedger('AG-01', 100);
    for (const at of [1, 2]) {
      ledger.record(message('flow', 'd1', { first_seen_at: at }));
      ledger.record(message('flow_dpi_complete', 'd1', { first_seen_at: at }));
      ledger.record(message('flow_purge', 'd1', { last_seen_at: at }));
    }
    expect(ledger.summary()).toMatchObject({ unique: 6, duplicates: 0, flows: 1, lifetimes: 2, purged: 2, orderViolations: 0 });
    expect([...ledger.purgedDigests()]).toEqual(['d1']);
  });

  it('reports flow messages outside a lifetime as order violations, with their position', () => {
    const ledger = new AgentLedger('AG-01', 100);
    ledger.record(message('flow_purge', 'd1'));
    ledger.record(message('flow', 'd2'));
    ledger.record(message('flow', 'd2', { again: true }));
    ledger.record(message('flow_stats', 'd3'));
    expect(ledger.summary()).toMatchObject({ orderViolations: 2, open: 1, flows: 2 });
    expect(ledger.violations).toEqual([
      { digest: 'd1', type: 'flow_purge', sequence: 0 },
      { digest: 'd2', type: 'flow', sequence: 2 },
    ]);
  });

  it('counts undecodable payloads once, and forgets payloads beyond the dedup window', () => {
    const ledger = new AgentLedger('AG-01', 2);
    expect(ledger.record(Buffer.from('not json')).kind).toBe('undecodable');
    expect(ledger.record(Buffer.from('not json')).kind).toBe('duplicate');
    ledger.record(message('agent_hello'));
    ledger.record(message('flow', 'd1'));
    expect(ledger.record(Buffer.from('not json')).kind).toBe('undecodable');
    expect(ledger.summary()).toMatchObject({ messages: 5, duplicates: 1, undecodable: 2, types: { agent_hello: 1, flow: 1 } });
  });
});

describe('FlowLedger and formatReport', () => {
  it('keeps agents apart and prints one row per agent plus a total', () => {
    const ledger = new FlowLedger();
    ledger.record('AG-02', message('flow', 'd1'));
    ledger.record('AG-01', message('flow', 'd1'));
    ledger.record('AG-01', message('flow', 'd1'));
    expect(ledger.agents()).toEqual(['AG-02', 'AG-01']);
    expect(ledger.summaries().map((s) => [s.agent, s.unique, s.duplicates])).toEqual([
      ['AG-01', 1, 1],
      ['AG-02', 1, 0],
    ]);
    const lines = formatReport(ledger.summaries()).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^AGENT\s+MESSAGES\s+UNIQUE\s+DUPLICATES\s+FLOWS/);
    expect(lines[3]).toMatch(/^total \(2 agents\)\s+3\s+2\s+1\s+2\s/);
  });
});
