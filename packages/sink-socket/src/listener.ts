import type { Logger, Payload } from '@netifyd/plugin-sdk';
import type { ListenerPlan } from './channel-plan.js';

/** Counters shared by every listener of one sink instance. */
export interface SocketCounters {
  /** Messages handed to clients (one per client per message). */
  sent: number;
  /** Messages not delivered at all: refused by dispatch, too large or a full UDP send queue. */
  dropped: number;
  errors: number;
  /** Clients disconnected for falling more than max_client_queue_kb behind. */
  clients_dropped: number;
  /** Connections refused because max_clients were already connected. */
  clients_rejected: number;
}

export interface ListenerDependencies {
  readonly plan: ListenerPlan;
  readonly counters: SocketCounters;
  readonly log: Logger;
  /** What a new client gets before live messages (agent_hello, …). */
  readonly greetings: () => Payload[];
}

/** One bound address serving one channel's messages to its clients. */
export interface Listener {
  /** What the listener was made from. */
  readonly plan: ListenerPlan;
  /** Binds; rejects with a NetifydError naming the config key. */
  start(): Promise<void>;
  /** The address actually bound (ephemeral port resolved), as a URL. */
  boundAddress(): string;
  broadcast(payload: Payload): void;
  clientCount(): number;
  /** Bytes written to clients but not yet taken by the kernel. */
  queuedBytes(): number;
  /** Disconnects every client and releases the address; safe to call twice. */
  close(): Promise<void>;
}

/** Disconnect errors a departing client causes; normal, not worth counting. */
export function isDisconnect(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.code === 'ECONNABORTED';
}
