import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { NetifydError, type Payload } from '@netifyd/plugin-sdk';
import { formatBindAddress } from './bind-address.js';
import type { ListenerPlan } from './channel-plan.js';
import type { Listener, ListenerDependencies } from './listener.js';

/** The largest UDP payload IPv4 can carry; larger messages cannot be sent as one datagram. */
export const MAX_DATAGRAM_BYTES = 65_507;

/**
 * udp:// listener: one message per datagram, exactly the payload bytes. UDP has no
 * connections, so a receiver subscribes by sending any datagram to the bound address;
 * it then gets the greetings and every later message until it has sent nothing for
 * `udp_client_ttl_s` (send again to stay subscribed). Sends never wait: when the
 * socket's send queue already holds `max_client_queue_kb`, the message is dropped.
 */
export class UdpListener implements Listener {
  private readonly socket: Socket;
  /** `address|port` → last time the subscriber sent something. */
  private readonly subscribers = new Map<string, { address: string; port: number; lastSeen: number }>();
  private bound = '';
  private closed = false;
  private tooLargeLogged = false;

  constructor(private readonly deps: ListenerDependencies) {
    const { address } = deps.plan;
    const host = address.scheme === 'unix' ? '' : address.host;
    this.socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    this.socket.on('message', (_message, remote) => this.subscribe(remote));
  }

  get plan(): ListenerPlan {
    return this.deps.plan;
  }

  async start(): Promise<void> {
    const { plan } = this.deps;
    const { address } = plan;
    if (address.scheme === 'unix') throw new Error('UdpListener needs a network address');
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(new NetifydError('ERR_SINK_SOCKET_BIND', `${plan.key} ${JSON.stringify(plan.configured)} cannot listen: ${error.message}`));
      this.socket.once('error', failed);
      this.socket.bind({ address: address.host, port: address.port }, () => {
        this.socket.off('error', failed);
        this.socket.on('error', (error) => {
          this.deps.counters.errors++;
          this.deps.log.error(`channel ${plan.channel}: ${this.bound}: ${error.message}`);
        });
        resolve();
      });
    });
    this.bound = formatBindAddress({ ...address, port: this.socket.address().port });
  }

  boundAddress(): string {
    return this.bound;
  }

  broadcast(payload: Payload): void {
    this.expireSubscribers();
    for (const subscriber of this.subscribers.values()) this.send(payload.data, subscriber);
  }

  clientCount(): number {
    return this.subscribers.size;
  }

  queuedBytes(): number {
    return this.closed ? 0 : this.socket.getSendQueueSize();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribers.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private subscribe(remote: RemoteInfo): void {
    const key = `${remote.address}|${remote.port}`;
    const known = this.subscribers.get(key);
    if (known) {
      known.lastSeen = Date.now();
      return;
    }
    this.expireSubscribers();
    if (this.subscribers.size >= this.deps.plan.maxClients) {
      this.deps.counters.clients_rejected++;
      return;
    }
    const subscriber = { address: remote.address, port: remote.port, lastSeen: Date.now() };
    this.subscribers.set(key, subscriber);
    for (const greeting of this.deps.greetings()) this.send(greeting.data, subscriber);
  }

  private expireSubscribers(): void {
    const oldest = Date.now() - this.deps.plan.udpClientTtlMs;
    for (const [key, subscriber] of this.subscribers) if (subscriber.lastSeen < oldest) this.subscribers.delete(key);
  }

  private send(data: Uint8Array, to: { address: string; port: number }): void {
    const { plan, counters, log } = this.deps;
    if (data.byteLength > MAX_DATAGRAM_BYTES) {
      counters.dropped++;
      if (!this.tooLargeLogged) {
        log.warn(`channel ${plan.channel}: a ${data.byteLength}-byte message does not fit in one datagram on ${this.bound}; dropped (counted)`);
        this.tooLargeLogged = true;
      }
      return;
    }
    if (this.socket.getSendQueueSize() + data.byteLength > plan.maxClientQueueBytes) {
      counters.dropped++;
      return;
    }
    this.socket.send(data, to.port, to.address, (error) => {
      if (error) counters.errors++;
    });
    counters.sent++;
  }
}
