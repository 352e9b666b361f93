import type { FlowModelEvent } from '../../src/flow/flow-model.js';
import { schemaErrors, type MessageKind } from './design-files.js';

const WIRE_TYPE = { flow_new: 'flow', detection_updated: 'flow_dpi_update', flow_dpi_complete: 'flow_dpi_complete', flow_expire: 'flow' } as const;

/** The messages proc-core sends for the model's events (FORMATS §1), with their schema. */
export function wireMessages(events: readonly FlowModelEvent[]): Array<{ kind: MessageKind; message: Record<string, unknown> }> {
  const messages: Array<{ kind: MessageKind; message: Record<string, unknown> }> = [];
  for (const event of events) {
    switch (event.type) {
      case 'flow_new':
      case 'detection_updated':
      case 'flow_dpi_complete':
      case 'flow_expire':
        messages.push({ kind: 'flow', message: { type: WIRE_TYPE[event.type], interface: event.interface, internal: event.internal, established: false, flow: event.flow } });
        break;
      case 'tick':
        messages.push({ kind: 'interfaces', message: event.interfaces });
        messages.push({ kind: 'interface-stats', message: event.interfaceStats });
        messages.push({ kind: 'interface-stats', message: { ...event.globalStats } });
        messages.push({ kind: 'endpoints', message: event.endpoints });
        for (const entry of event.flowStats) {
          messages.push({ kind: 'flow-stats', message: { type: 'flow_stats', interface: entry.interface, internal: entry.internal, established: false, flow: entry.flow } });
        }
        for (const entry of event.purged) {
          messages.push({ kind: 'flow-purge', message: { type: 'flow_purge', interface: entry.interface, internal: entry.internal, established: false, reason: entry.reason, flow: entry.flow } });
        }
        break;
      case 'source_end':
        break;
    }
  }
  return messages;
}

/** Schema errors of every message the events produce (empty when all validate). */
export function invalidMessages(events: readonly FlowModelEvent[]): string[] {
  const errors: string[] = [];
  for (const { kind, message } of wireMessages(events)) {
    const error = schemaErrors(kind, message);
    if (error) errors.push(error);
  }
  return errors;
}
