import type { Flow, FlowSource, FlowStats } from '@netifyd/plugin-sdk';

export interface TrackedFlow extends FlowSource {
  /** The latest full flow object (encoding A) the agent sent for this flow. */
  readonly flow: Flow;
}

/**
 * Flows between their first event and their purge, by digest: the latest full object of
 * each, for the legacy-http document and the established-flow dump.
 */
export class FlowRegistry {
  private readonly flows = new Map<string, TrackedFlow>();

  get size(): number {
    return this.flows.size;
  }

  update(event: TrackedFlow): void {
    // A post-DPI digest replaces the earlier ones listed in digest_prev.
    for (const previous of event.flow.digest_prev) this.flows.delete(previous);
    this.flows.set(event.flow.digest, { flow: event.flow, interface: event.interface, internal: event.internal });
  }

  lookup(stats: FlowStats): TrackedFlow | undefined {
    const current = this.flows.get(stats.digest);
    if (current) return current;
    for (const previous of stats.digest_prev) {
      const earlier = this.flows.get(previous);
      if (earlier) return earlier;
    }
    return undefined;
  }

  forget(stats: FlowStats): void {
    this.flows.delete(stats.digest);
    for (const previous of stats.digest_prev) this.flows.delete(previous);
  }

  active(): IterableIterator<TrackedFlow> {
    return this.flows.values();
  }

  clear(): void {
    this.flows.clear();
  }
}
