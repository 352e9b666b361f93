import type { AgentEvent } from '@netifyd/plugin-sdk';

/**
 * What one run saw, for the summary line at the end of a capture: packets, flows, the
 * share of flows with a detected protocol, the most frequent protocols, duration and rate.
 */
export class RunSummary {
  private readonly startedAt = process.hrtime.bigint();
  private flows = 0;
  private detections = 0;
  private detected = 0;
  private packets = 0;
  private readonly protocols = new Map<string, number>();

  // A flow counts once, at its expiry; its detections (more than one when a reused DNS flow
  // restarts, FORMATS §6.2) make the detected share and the protocol tally.
  observe(event: AgentEvent): void {
    if (event.type === 'flow_expire') {
      this.flows++;
    } else if (event.type === 'flow_dpi_complete') {
      this.detections++;
      const name = event.flow.detected_protocol_name;
      if (event.flow.detected_protocol !== 0) this.detected++;
      this.protocols.set(name, (this.protocols.get(name) ?? 0) + 1);
    } else if (event.type === 'tick') {
      this.packets = event.globalStats.raw;
    }
  }

  line(): string {
    const seconds = Number(process.hrtime.bigint() - this.startedAt) / 1e9;
    const top = [...this.protocols.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    const percent = this.detections === 0 ? 0 : (100 * this.detected) / this.detections;
    const rate = seconds > 0 ? Math.round(this.packets / seconds) : 0;
    return `${this.packets} packets, ${this.flows} flows, ${percent.toFixed(1)}% detected (top: ${top || 'none'}), ${seconds.toFixed(2)} s, ${rate} packets/s`;
  }
}
