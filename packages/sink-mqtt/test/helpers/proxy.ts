import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Cuts every proxied connection abruptly (no MQTT DISCONNECT reaches the broker). */
  sever(): void;
  /** Stops relaying broker → client (acknowledgements get lost) until the next sever(). */
  swallowReplies(): void;
  close(): Promise<void>;
}

/**
 * A real TCP relay on 127.0.0.1:`listenPort` (0 = any) to `targetPort`: a broker that
 * appears late, a connection cut from outside, or acknowledgements lost on the way back.
 */
export async function startProxy(targetPort: number, listenPort = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let swallowing = false;
  const server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    inbound.on('data', (chunk: Buffer) => outbound.write(chunk));
    outbound.on('data', (chunk: Buffer) => {
      if (!swallowing) inbound.write(chunk);
    });
    const drop = (): void => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    sever: () => {
      for (const socket of sockets) socket.resetAndDestroy();
      sockets.clear();
      swallowing = false;
    },
    swallowReplies: () => {
      swallowing = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
