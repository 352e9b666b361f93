import type { FlowStats, FlowStatsEntry, TickEvent } from '@netifyd/plugin-sdk';
import type { FlowRegistry } from './flow-registry.js';

/**
 * The legacy-http document of one tick (FORMATS §7.7, netifyd v3/v4 HTTP sink): the
 * `agent_status` keys without `type`, plus `version`, `interfaces` {ifname: {role, mac}},
 * `devices` {mac: [ip…]}, `stats` {ifname: counters} and `flows` {ifname: [flow…]} with
 * every flow active in the interval or purged, each as its latest full object with the
 * interval's counters (encoding A).
 */
export function legacyHttpDocument(tick: TickEvent, registry: FlowRegistry): Record<string, unknown> {
  return {
    ...withoutType(tick.status),
    version: 1.9,
    interfaces: interfaceRoles(tick.interfaces),
    devices: withoutType(tick.endpoints),
    stats: withoutType(tick.interfaceStats),
    flows: flowsByInterface([...tick.flowStats, ...tick.purged], registry),
  };
}

function withoutType(message: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...message };
  delete copy.type;
  return copy;
}

function interfaceRoles(interfaces: TickEvent['interfaces']): Record<string, { role: unknown; mac: unknown }> {
  const roles: Record<string, { role: unknown; mac: unknown }> = {};
  for (const [name, info] of Object.entries(interfaces)) {
    if (name === 'type' || typeof info !== 'object') continue;
    roles[name] = { role: info.role, mac: info.mac };
  }
  return roles;
}

function flowsByInterface(entries: readonly FlowStatsEntry[], registry: FlowRegistry): Record<string, object[]> {
  // A flow both active and purged in the interval is listed once, with its purge counters.
  const latest = new Map<string, { interface: string; stats: FlowStats }>();
  for (const entry of entries) latest.set(entry.flow.digest, { interface: entry.interface, stats: entry.flow });
  const flows: Record<string, object[]> = {};
  for (const { interface: name, stats } of latest.values()) {
    const known = registry.lookup(stats);
    (flows[name] ??= []).push(known ? { ...known.flow, ...stats } : stats);
  }
  return flows;
}
