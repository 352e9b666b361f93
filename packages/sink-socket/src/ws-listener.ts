import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { NetifydError, type Payload } from '@netifyd/plugin-sdk';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatBindAddress } from './bind-address.js';
import { isTextPayload } from './framing.js';
import type { ListenerPlan } from './channel-plan.js';
import { isDisconnect, type Listener, type ListenerDependencies } from './listener.js';
import { isOriginAllowed } from './origin-policy.js';

/** Clients only listen; anything larger they send is a protocol error. */
const MAX_INCOMING_MESSAGE_BYTES = 4096;

/**
 * ws:// and wss:// listeners (the `ws` package): one message per WebSocket message,
 * text for plain JSON and binary for msgpack or gzip. Same greeting and slow-client
 * rules as the stream listener, measured with `bufferedAmount`.
 */
export class WsListener implements Listener {
  private server: Server | undefined;
  private webSockets: WebSocketServer | undefined;
  private readonly clients = new Set<WebSocket>();
  private bound = '';
  private closed = false;

  constructor(private readonly deps: ListenerDependencies) {}

  get plan(): ListenerPlan {
    return this.deps.plan;
  }

  async start(): Promise<void> {
    const { plan } = this.deps;
    const { address } = plan;
    if (address.scheme !== 'ws' && address.scheme !== 'wss') throw new Error('WsListener needs a ws:// or wss:// address');
    const server = address.scheme === 'wss' ? createHttpsServer(await this.loadTls()) : createHttpServer();
    this.server = server;
    server.on('request', (_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
      response.end('This address serves WebSocket connections only.\n');
    });
    this.webSockets = new WebSocketServer({
      server,
      maxPayload: MAX_INCOMING_MESSAGE_BYTES,
      clientTracking: false,
      verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) => isOriginAllowed(origin || undefined, req.headers.host, plan.allowedOrigins),
    });
    this.webSockets.on('connection', (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(new NetifydError('ERR_SINK_SOCKET_BIND', `${plan.key} ${JSON.stringify(plan.configured)} cannot listen: ${error.message}`));
      server.once('error', failed);
      server.listen({ host: address.host, port: address.port }, () => {
        server.off('error', failed);
        server.on('error', (error) => {
          this.deps.counters.errors++;
          this.deps.log.error(`channel ${plan.channel}: ${this.bound}: ${error.message}`);
        });
        resolve();
      });
    });
    const actual = server.address();
    this.bound = formatBindAddress({ ...address, port: typeof actual === 'object' && actual ? actual.port : 0 });
  }

  boundAddress(): string {
    return this.bound;
  }

  broadcast(payload: Payload): void {
    for (const client of this.clients) this.send(client, payload);
  }

  clientCount(): number {
    return this.clients.size;
  }

  queuedBytes(): number {
    let bytes = 0;
    for (const client of this.clients) bytes += client.bufferedAmount;
    return bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.clients) client.terminate();
    this.clients.clear();
    this.webSockets?.close();
    const server = this.server;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async loadTls(): Promise<{ cert: Buffer; key: Buffer }> {
    const { plan } = this.deps;
    if (!plan.tlsCertFile || !plan.tlsKeyFile) {
      throw new NetifydError(
        'ERR_SINK_SOCKET_TLS',
        `${plan.key} ${JSON.stringify(plan.configured)}: wss:// needs tls_cert_file and tls_key_file (PEM files) in the channel or at the top level`,
      );
    }
    const read = async (key: string, path: string) => {
      try {
        return await readFile(path);
      } catch (error) {
        throw new NetifydError(
          'ERR_SINK_SOCKET_TLS',
          `${plan.configFile}: ${key} ${JSON.stringify(path)} of channel ${plan.channel} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    };
    return { cert: await read('tls_cert_file', plan.tlsCertFile), key: await read('tls_key_file', plan.tlsKeyFile) };
  }

  private accept(client: WebSocket): void {
    const { plan, counters, log } = this.deps;
    if (this.closed || this.clients.size >= plan.maxClients) {
      counters.clients_rejected++;
      client.close(1013, 'too many clients');
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
    for (const greeting of this.deps.greetings()) {
      if (!this.clients.has(client)) break;
      this.send(client, greeting);
    }
  }

  private send(client: WebSocket, payload: Payload): void {
    const { plan, counters, log } = this.deps;
    const waiting = client.bufferedAmount;
    if (waiting > 0 && waiting + payload.data.byteLength > plan.maxClientQueueBytes) {
      counters.clients_dropped++;
      log.warn(
        `channel ${plan.channel}: disconnecting a client of ${this.bound}: more than max_client_queue_kb=${plan.maxClientQueueBytes / 1024} unread`,
      );
      this.clients.delete(client);
      client.terminate();
      return;
    }
    client.send(payload.data, { binary: !isTextPayload(payload) });
    counters.sent++;
  }
}
