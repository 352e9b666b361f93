import { createServer, type Server, type Socket } from 'node:net';
import { NetifydError, type Payload } from '@netifyd/plugin-sdk';
import { formatBindAddress } from './bind-address.js';
import { encodeStreamFrame } from './framing.js';
import type { ListenerPlan } from './channel-plan.js';
import { isDisconnect, type Listener, type ListenerDependencies } from './listener.js';
import { prepareUnixSocketPath, setSocketMode } from './unix-socket-file.js';

/**
 * unix:// and tcp:// listeners. Every client gets the greetings, then each message
 * framed for the channel. Writes never wait: a client whose unsent bytes would exceed
 * `max_client_queue_kb` is disconnected, so a stalled reader costs at most that much
 * memory and never slows the agent or the other clients.
 */
export class StreamListener implements Listener {
  private readonly server: Server;
  private readonly clients = new Set<Socket>();
  private bound = '';
  private closed = false;

  constructor(private readonly deps: ListenerDependencies) {
    // allowHalfOpen: `nc -U … < /dev/null` ends its side at once and still reads ours.
    this.server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
  }

  get plan(): ListenerPlan {
    return this.deps.plan;
  }

  async start(): Promise<void> {
    const { plan } = this.deps;
    const { address } = plan;
    if (address.scheme === 'unix') await prepareUnixSocketPath(address.path, plan.key);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        reject(new NetifydError('ERR_SINK_SOCKET_BIND', `${plan.key} ${JSON.stringify(plan.configured)} cannot listen: ${error.message}`));
      };
      this.server.once('error', failed);
      const options = address.scheme === 'unix' ? { path: address.path } : { host: address.host, port: address.port };
      this.server.listen(options, () => {
        this.server.off('error', failed);
        this.server.on('error', (error) => {
          this.deps.counters.errors++;
          this.deps.log.error(`channel ${plan.channel}: ${this.bound}: ${error.message}`);
        });
        resolve();
      });
    });
    if (address.scheme === 'unix') {
      await setSocketMode(address.path, plan.mode);
      this.bound = formatBindAddress(address);
    } else {
      const actual = this.server.address();
      const port = typeof actual === 'object' && actual ? actual.port : 0;
      this.bound = formatBindAddress({ ...address, port });
    }
  }

  boundAddress(): string {
    return this.bound;
  }

  broadcast(payload: Payload): void {
    if (this.clients.size === 0) return;
    const frame = encodeStreamFrame(payload, this.deps.plan.framing);
    for (const client of this.clients) this.send(client, frame);
  }

  clientCount(): number {
    return this.clients.size;
  }

  queuedBytes(): number {
    let bytes = 0;
    for (const client of this.clients) bytes += client.writableLength;
    return bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of this.clients) client.destroy();
    this.clients.clear();
    await closing; // net.Server removes its Unix socket file when it closes.
  }

  private accept(client: Socket): void {
    const { plan, counters, log } = this.deps;
    if (this.closed || this.clients.size >= plan.maxClients) {
      counters.clients_rejected++;
      client.destroy();
      return;
    }
    this.clients.add(client);
    client.on('error', (error: NodeJS.ErrnoException) => {
      if (!isDisconnect(error)) {
        counters.errors++;
        log.warn(`channel ${plan.channel}: client of ${this.bound}: ${error.message}`);
      }
    });
    client.on('close', () => this.clients.delete(client));
    client.resume(); // Clients have nothing to say; discard input so a chatty one cannot fill memory.
    for (const greeting of this.deps.greetings()) {
      if (!this.clients.has(client)) break;
      this.send(client, encodeStreamFrame(greeting, plan.framing));
    }
  }

  private send(client: Socket, frame: Uint8Array): void {
    const { plan, counters, log } = this.deps;
    const waiting = client.writableLength;
    if (waiting > 0 && waiting + frame.byteLength > plan.maxClientQueueBytes) {
      counters.clients_dropped++;
      log.warn(
        `channel ${plan.channel}: disconnecting a client of ${this.bound}: more than max_client_queue_kb=${plan.maxClientQueueBytes / 1024} unread`,
      );
      this.clients.delete(client);
      client.destroy();
      return;
    }
    client.write(frame);
    counters.sent++;
  }
}
