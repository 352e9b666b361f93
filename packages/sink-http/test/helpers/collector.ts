import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Reply status the collector gave to this request. */
  readonly status: number;
  readonly at: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering (a slow collector). */
  readonly delayMs?: number;
}

/** Decides the reply to the n-th request (0-based). */
export type Responder = (index: number, request: IncomingMessage, body: Buffer) => Reply;

export interface Collector {
  readonly port: number;
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Bodies of the requests answered 2xx, in arrival order. */
  accepted(): Buffer[];
  setResponder(responder: Responder): void;
  close(): Promise<void>;
}

export interface CollectorOptions {
  readonly port?: number;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly responder?: Responder;
}

/** A real HTTP(S) collector on 127.0.0.1 that records every POST. */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const requests: ReceivedRequest[] = [];
  let responder: Responder = options.responder ?? (() => ({ status: 200 }));
  let index = 0;
  const pending = new Set<NodeJS.Timeout>();
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const reply = responder(index, request, body);
      index += 1;
      const answer = (): void => {
        requests.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body,
          status: reply.status,
          at: Date.now(),
        });
        response.writeHead(reply.status, reply.headers ?? {}).end('ok');
      };
      if (!reply.delayMs) return answer();
      const timer = setTimeout(() => {
        pending.delete(timer);
        answer();
      }, reply.delayMs);
      pending.add(timer);
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.body),
    setResponder: (next) => (responder = next),
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on right now (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
